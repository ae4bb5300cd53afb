import { strict as assert } from 'node:assert';
import { compactCount, DESCRIPTION_KEPT, fitDescription, fitLabel, RECORD_ROW_EM, RESOURCE_ROW_EM, textWidthEm } from '../../../src/tree/rowFit';

/** What the Done-when check asks of a row: the label whole, and the description's first characters in view (with VS Code's "…" after them). */
function keepsDescription(label: string, description: string): boolean {
  const whole = textWidthEm(label) + 0.5 + textWidthEm(description) <= RECORD_ROW_EM;
  const kept = Array.from(description).slice(0, DESCRIPTION_KEPT).join('');
  return whole || textWidthEm(label) + 0.5 + textWidthEm(kept) + textWidthEm('…') <= RECORD_ROW_EM;
}

describe('Fitting a row label', () => {
  it('estimates wide text wider than narrow text, accents as their letters, CJK as a whole em each', () => {
    assert.ok(textWidthEm('WWWW') > textWidthEm('iiii') * 3);
    assert.equal(textWidthEm('Zoë Brontë'), textWidthEm('Zoe Bronte'));
    assert.ok(textWidthEm('山田') > textWidthEm('ab'));
  });

  it('leaves a label and description that fit whole as they are', () => {
    assert.equal(fitLabel(['Jane Smith'], 'jane@example.com'), 'Jane Smith');
    assert.equal(fitLabel(['Admin Login'], '13mo ago'), 'Admin Login');
  });

  it('cuts a long label so the description keeps its first characters', () => {
    const label = fitLabel(['Małgorzata Van der Berg'], 'malgorzata_vanderberg@example.com');
    assert.ok(label.endsWith('…') && label.startsWith('Małgorzata'), label);
    assert.ok(keepsDescription(label, 'malgorzata_vanderberg@example.com'));
    const title = fitLabel(['member@example.com saved a post - Example Post Title'], '13mo ago · unread');
    assert.ok(keepsDescription(title, '13mo ago · unread'), title);
  });

  it('takes the first shorter form that fits before cutting', () => {
    const forms = ['myshop.nl/nieuwsbrief/4/aanbiedingen', 'myshop.nl/nieuwsbrief/…/aanbiedingen', 'myshop.nl/…/aanbiedingen'];
    assert.equal(fitLabel(forms, 'mailing 4', 20), 'myshop.nl/…/aanbiedingen');
    assert.equal(fitLabel(forms, 'mailing 4', 30), forms[0]);
    const cut = fitLabel(['myshop.nl/promotions/customer/{$profile.customerid}', 'myshop.nl/…/{$profile.customerid}'], 'mailing 4 · Oct 14, 2014');
    assert.ok(cut.startsWith('myshop.nl/…/') && cut.endsWith('…'), cut);
    assert.ok(keepsDescription(cut, 'mailing 4 · Oct 14, 2014'));
  });

  it('keeps at least one character of a label', () => {
    assert.equal(fitLabel(['Wonderful'], 'x'.repeat(40), 2), 'W…');
    assert.equal(fitLabel([], 'x'), '');
  });
});

describe('Fitting a row whole (issue 17: click rows, resource rows)', () => {
  const fits = (label: string, description: string, room: number): boolean => textWidthEm(label) + 0.5 + textWidthEm(description) <= room;

  it('a click row keeps its whole description: the label is shortened instead', () => {
    const description = 'member 336 · 9/22/25';
    const label = fitLabel(['Book Appointment'], description, RECORD_ROW_EM, Infinity);
    assert.ok(label.startsWith('Book A') && label.endsWith('…'), label);
    assert.ok(fits(label, description, RECORD_ROW_EM), `"${label}" + "${description}"`);
    assert.equal(fitLabel(['Website'], description, RECORD_ROW_EM, Infinity), 'Website');
  });

  it('a resource row takes the first description form that fits beside its label, else the last', () => {
    const forms = ['12,100 · 4,776 unread', '12.1K · 4.8K unread', '4.8K unread', '12.1K'];
    const shown = fitDescription('Website Notifications', forms, RESOURCE_ROW_EM);
    assert.ok(forms.includes(shown), shown);
    assert.ok(fits('Website Notifications', shown, RESOURCE_ROW_EM), shown);
    assert.equal(fitDescription('Contacts', ['238'], RESOURCE_ROW_EM), '238');
    assert.equal(fitDescription('Contacts', ['x'.repeat(80), 'y'.repeat(60)], RESOURCE_ROW_EM), 'y'.repeat(60));
    assert.equal(fitDescription('Contacts', [], RESOURCE_ROW_EM), '');
  });

  it('counts are compacted in the locale\'s words, small ones left whole', () => {
    assert.equal(compactCount(12_100, 'en'), '12.1K');
    assert.equal(compactCount(4_776, 'en'), '4.8K');
    assert.equal(compactCount(238, 'en'), '238');
    assert.equal(compactCount(1_250_000, 'en'), '1.3M');
  });
});
