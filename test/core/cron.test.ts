// core/cron: robfig/cron v3 ParseStandard's verdict and error text for CronJob schedules.
import t from 'tap';
import { cronScheduleError } from '../../core/cron.ts';

const rows: [string, string | undefined][] = [
  ['0 3 * * *', undefined], // nightly
  ['*/15 * * * *', undefined], // a step over the whole range
  ['0 9-17/2 * * MON-FRI', undefined], // range with a step, named days
  ['0 0 1 jan,Jul ?', undefined], // month names in any case, ? for *
  ['5/10 * * * *', undefined], // N/step means N-max/step
  ['@daily', undefined],
  ['@every 1h30m', undefined],
  ['TZ=Europe/Paris 0 3 * * *', undefined],
  ['', 'empty spec string'],
  ['61 * * * *', 'end of range (61) above maximum (59): 61'],
  ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
  ['0 5-2 * * *', 'beginning of range (5) beyond end of range (2): 5-2'],
  ['*/0 * * * *', 'step of range should be a positive number: */0'],
  ['*/5 * * *', 'expected exactly 5 fields, found 4: [*/5 * * *]'],
  ['0 0 * * * *', 'expected exactly 5 fields, found 6: [0 0 * * * *]'],
  ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
  ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
  ['1/2/3 * * * *', 'too many slashes: 1/2/3'],
  ['0 0 * * 7', 'end of range (7) above maximum (6): 7'], // Sunday is 0 only
  ['@fortnightly', 'unrecognized descriptor: @fortnightly'],
  ['TZ=Mars/Olympus 0 3 * * *', 'provided bad location Mars/Olympus: unknown time zone Mars/Olympus'],
];

for (const [spec, want] of rows) t.equal(cronScheduleError(spec), want, JSON.stringify(spec));
