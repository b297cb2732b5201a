// The Store contract against classic-level: LevelDB on disk, the default backend.
import t from 'tap';
import { contract } from './contract.ts';
import { classicBackend } from './fixtures.ts';

contract(t, classicBackend);
