import t from 'tap';
import { parseQuantity } from '../../core/quantity.ts';

t.test('quantities in base units', async (t) => {
  // [text, value]
  const rows: [unknown, number | undefined][] = [
    ['1', 1], // plain integer
    ['500m', 0.5], // milli
    ['1.5', 1.5], // decimal
    ['.5', 0.5], // leading dot
    ['128Mi', 128 * 2 ** 20], // binary SI
    ['1Gi', 2 ** 30], // binary SI
    ['2G', 2e9], // decimal SI
    ['1k', 1000], // kilo is lowercase
    ['1e3', 1000], // decimal exponent
    ['1E-3', 0.001], // negative exponent
    ['100u', 1e-4], // micro
    ['-1', -1], // negative (rejected by validation, not by the parser)
    [2, 2], // a JSON number
    ['1K', undefined], // uppercase K is not a suffix
    ['1.2.3', undefined], // two dots
    ['abc', undefined], // not a number
    ['', undefined], // empty
    [{}, undefined], // not a string
  ];
  for (const [text, want] of rows) t.equal(parseQuantity(text), want, JSON.stringify(text));
});
