import { strict as assert } from 'node:assert';
import { toCsv } from '../../../src/insights/insightsCsv';

describe('Click Insights CSV export', () => {
  it('quotes commas, quotes and line breaks; CRLF rows; a formula-looking text is defused, negative numbers are not', () => {
    const csv = toCsv([
      ['Link', 'Clicks', 'Unique'],
      ['https://www.myshop.nl/a?x=1,2', '12', '9'],
      ['say "hi"\nthere', '3', '3'],
      ['=HYPERLINK("x")', '-4', '0'],
    ]);
    assert.equal(csv, 'Link,Clicks,Unique\r\n"https://www.myshop.nl/a?x=1,2",12,9\r\n"say ""hi""\nthere",3,3\r\n"\'=HYPERLINK(""x"")",-4,0\r\n');
  });
});
