// The Store contract against memory-level (fast, nothing on disk).
import t from 'tap';
import { contract } from './contract.ts';
import { memoryBackend } from './fixtures.ts';

contract(t, memoryBackend);
