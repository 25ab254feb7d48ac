// The second set of input widgets in a real browser (tests/apps/widgets2.c): each is set the
// way a visitor does it (typing, clicking, the keyboard) and its callback's echo shows on the
// page; bad events sent over the socket get an error and the session carries on. And
// examples/inputs.c, which uses them all. Screenshots: widgets2.png, inputs.png.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, openBrowser, screenshot, startPane } from './lib.mjs';
import { assertClean, mainProbe, openLive, paneState, waitForDocs } from './live-lib.mjs';

let pane, browser, url, inputsUrl;

before(async () => {
  pane = await startPane({ app: ['tests/apps/widgets2.c', 'examples/inputs.c'] });
  url = pane.urls.find((u) => u.endsWith('/widgets2'));
  inputsUrl = pane.urls.find((u) => u.endsWith('/inputs'));
  browser = await openBrowser();
});

after(async () => {
  await browser?.close();
  await pane?.stop();
});

// route: the socket through the test, which can send the server what no visitor could
const open = (t, { route = false, at = url } = {}) => openLive(browser, t, at, { route });
// errors: the server errors the test caused (the client logs each as a warning)
const clean = (r, errors = 0) => assertClean(r, errors);

// The echo Markdown whose text starts with prefix ("int:").
const echo = (page, prefix) => page.locator('.pn-markdown', { hasText: prefix }).first();
async function expectEcho(page, prefix, want) {
  await eventually(async () => assert.equal((await echo(page, prefix).textContent()).trim(), want));
}
const idOf = (page, kind, n = 0) =>
  page.locator(`[data-pn-kind="${kind}"]`).nth(n).evaluate((e) => +e.id.slice(3));

test('IntInput: typed, clamped to its bounds, stepped with the keyboard', async (t) => {
  const r = await open(t);
  const field = r.page.getByLabel('Copies');
  assert.equal(await field.inputValue(), '2');
  await field.fill('7');
  await field.press('Enter');
  await expectEcho(r.page, 'int:', 'int: 7');
  await field.fill('500'); // past the end: the field and the server say 99
  await field.press('Enter');
  await expectEcho(r.page, 'int:', 'int: 99');
  assert.equal(await field.inputValue(), '99');
  await field.press('ArrowDown');
  await field.press('ArrowDown');
  await field.press('Tab'); // leaving the field commits
  await expectEcho(r.page, 'int:', 'int: 97');
  await field.fill('3.6'); // a whole number: rounded
  await field.press('Enter');
  await expectEcho(r.page, 'int:', 'int: 4');
  const sent = r.frames.filter((f) => f.startsWith('>> ') && f.includes('"event"'))
    .map((f) => JSON.parse(f.slice(3)).value);
  assert.deepEqual(sent, [7, 99, 98, 97, 4], 'one event per commit (Chrome commits each step)');
  clean(r);
});

test('FloatInput: typed, clamped, not sent when not a number', async (t) => {
  const r = await open(t);
  const field = r.page.getByLabel('Gain');
  await field.fill('2.75');
  await field.press('Enter');
  await expectEcho(r.page, 'float:', 'float: 2.75');
  await field.fill('-3');
  await field.press('Enter');
  await expectEcho(r.page, 'float:', 'float: 0');
  assert.equal(await field.inputValue(), '0');
  await field.fill('');
  await field.press('Enter');
  assert.equal(await field.inputValue(), '0', 'an empty field goes back to its value');
  await field.press('ArrowUp'); // step 0.25
  await field.press('Tab');
  await expectEcho(r.page, 'float:', 'float: 0.25');
  clean(r);
});

test('TextAreaInput: Enter is a new line, leaving the field (or Ctrl+Enter) sends', async (t) => {
  const r = await open(t);
  const area = r.page.getByLabel('Notes');
  await area.click();
  await area.pressSequentially('line one');
  await area.press('Enter');
  await area.pressSequentially('line two');
  await r.page.waitForTimeout(300);
  assert.equal((await echo(r.page, 'text:').count()), 0, 'nothing sent while typing');
  await area.press('Tab');
  await expectEcho(r.page, 'text:', 'text: line one⏎line two');
  await area.click();
  await area.press('Control+End');
  await area.pressSequentially('!');
  await area.press('Control+Enter');
  await expectEcho(r.page, 'text:', 'text: line one⏎line two!');
  assert.equal(await area.evaluate((e) => e === document.activeElement), true, 'focus kept');
  const sent = r.frames.filter((f) => f.startsWith('>> ') && f.includes('"event"'));
  assert.equal(sent.length, 2, 'one event per commit, none per key');
  clean(r);
});

test('RadioBoxGroup: a click and the arrow keys choose', async (t) => {
  const r = await open(t);
  const group = r.page.getByRole('radiogroup', { name: 'Unit' });
  assert.equal(await group.getByRole('radio', { name: 'Celsius' }).isChecked(), true);
  await group.getByText('Kelvin').click();
  await expectEcho(r.page, 'radio:', 'radio: Kelvin');
  await group.getByRole('radio', { name: 'Kelvin' }).press('ArrowLeft');
  await expectEcho(r.page, 'radio:', 'radio: Fahrenheit');
  assert.equal(await group.getByRole('radio', { name: 'Fahrenheit' }).isChecked(), true);
  const off = r.page.getByRole('radiogroup', { name: 'Disabled' });
  assert.equal(await off.getByRole('radio', { name: 'Two' }).isChecked(), true);
  assert.equal(await off.getByRole('radio', { name: 'One' }).isDisabled(), true);
  clean(r);
});

test('CheckBoxGroup: each click sends the checked list; Space toggles', async (t) => {
  const r = await open(t);
  const group = r.page.getByRole('group', { name: 'Days' });
  assert.equal(await group.getByRole('checkbox', { name: 'Mon' }).isChecked(), true);
  await group.getByText('Wed').click();
  await expectEcho(r.page, 'days:', 'days: Mon, Wed');
  await group.getByText('Mon').click();
  await expectEcho(r.page, 'days: ', 'days: Wed');
  const fri = group.getByRole('checkbox', { name: 'Fri' });
  await fri.focus();
  await fri.press('Space');
  await expectEcho(r.page, 'days: ', 'days: Wed, Fri');
  await group.getByText('Wed').click();
  await fri.press('Space');
  await expectEcho(r.page, 'days: ', 'days: none');
  const sent = r.frames.filter((f) => f.startsWith('>> ') && f.includes('"event"'))
    .map((f) => JSON.parse(f.slice(3)).value);
  assert.deepEqual(sent, [['Mon', 'Wed'], ['Wed'], ['Wed', 'Fri'], ['Fri'], []]);
  clean(r);
});

test('MultiSelect: click, Ctrl+click, Shift+arrows', async (t) => {
  const r = await open(t);
  const list = r.page.getByLabel('Cities');
  await list.getByRole('option', { name: 'Lisbon' }).click();
  await expectEcho(r.page, 'cities:', 'cities: Lisbon');
  await list.getByRole('option', { name: 'Rome' }).click({ modifiers: ['Control'] });
  await expectEcho(r.page, 'cities:', 'cities: Lisbon, Rome');
  await list.press('Shift+ArrowDown'); // extends the selection from Rome
  await expectEcho(r.page, 'cities:', 'cities: Lisbon, Rome, Vienna');
  await list.selectOption(['Berlin', 'Paris']); // as a script would
  await expectEcho(r.page, 'cities:', 'cities: Berlin, Paris');
  assert.equal(await list.evaluate((e) => e === document.activeElement), true, 'focus kept');
  clean(r);
});

test('RangeSlider: arrow keys and a drag move the handles, which never cross', async (t) => {
  const r = await open(t);
  const lo = r.page.getByRole('slider', { name: 'Hours start' });
  const hi = r.page.getByRole('slider', { name: 'Hours end' });
  const shown = r.page.locator('.pn-range-slider .pn-slider-value');
  assert.equal((await shown.textContent()).trim(), '9.0 h … 17.0 h');
  await lo.focus();
  await lo.press('ArrowRight');
  await lo.press('ArrowRight');
  assert.equal((await shown.textContent()).trim(), '10.0 h … 17.0 h', 'the label follows');
  await expectEcho(r.page, 'range:', 'range: 10 to 17');
  await hi.focus();
  await hi.press('End');
  await expectEcho(r.page, 'range:', 'range: 10 to 24');
  await hi.fill('8'); // below the start handle: stops at it
  assert.equal(await hi.inputValue(), '10');
  await expectEcho(r.page, 'range:', 'range: 10 to 10');
  // a drag of the end handle with the mouse, from 10 h towards 18 h
  await hi.press('Home'); // no crossing: stays at 10 h
  await hi.fill('20');
  await expectEcho(r.page, 'range:', 'range: 10 to 20');
  const box = await hi.boundingBox(), y = box.y + box.height / 2;
  const at = (h) => box.x + 8 + ((box.width - 16) * h) / 24;
  await r.page.mouse.move(at(20), y);
  await r.page.mouse.down();
  await r.page.mouse.move(at(18), y, { steps: 10 });
  await r.page.mouse.up();
  await expectEcho(r.page, 'range:', 'range: 10 to 18');
  assert.equal(await hi.inputValue(), '18');
  clean(r);
});

test('DatePicker: typed and stepped with the keyboard, clamped to its bounds', async (t) => {
  const r = await open(t);
  const day = r.page.getByLabel('Day', { exact: true });
  assert.equal(await day.inputValue(), '2026-12-02');
  await day.fill('2027-03-15');
  await expectEcho(r.page, 'date:', 'date: 2027-03-15');
  await day.focus();
  await day.press('ArrowUp'); // the focused part (the month, in this locale) goes up one
  await expectEcho(r.page, 'date:', 'date: 2027-04-15');
  await day.fill('2030-01-01'); // past the end
  await expectEcho(r.page, 'date:', 'date: 2027-12-31');
  assert.equal(await day.inputValue(), '2027-12-31');
  clean(r);
});

test('ColorPicker: a chosen colour reaches the callback', async (t) => {
  const r = await open(t);
  const swatch = r.page.getByLabel('Line colour');
  assert.equal(await swatch.inputValue(), '#1e88e5');
  await swatch.fill('#e53935'); // what the chooser does when it closes: input, then change
  await expectEcho(r.page, 'color:', 'color: #e53935');
  assert.equal((await r.page.locator('.pn-color-value').textContent()).trim(), '#e53935');
  clean(r);
});

test('a dropped socket resumes: the page kept what the visitor set, as the server renders it',
  async (t) => {
    const { page, seen, sock } = await open(t, { route: true });
    assert.equal((await paneState(page)).hydration, 'kept', 'the first doc matched the page');
    await page.getByLabel('Copies').fill('12');
    await page.getByLabel('Copies').press('Enter');
    await page.getByLabel('Gain').fill('1.25');
    await page.getByLabel('Gain').press('Enter');
    await page.getByLabel('Notes').fill('one\ntwo <b>');
    await page.getByLabel('Notes').press('Tab');
    await page.getByRole('radiogroup', { name: 'Unit' }).getByText('Kelvin').click();
    await page.getByRole('group', { name: 'Days' }).getByText('Thu').click();
    await page.getByLabel('Cities').selectOption(['Rome']);
    await page.getByRole('slider', { name: 'Hours start' }).fill('6.5');
    await page.getByLabel('Day', { exact: true }).fill('2027-01-31');
    await page.getByLabel('Line colour').fill('#43a047');
    await expectEcho(page, 'color:', 'color: #43a047');
    const token = (await paneState(page)).token;
    sock.drop();
    await waitForDocs(page, 2);
    const st = await paneState(page);
    assert.equal(st.token, token, 'the same session resumed');
    assert.equal(st.hydration, 'kept', 'the resumed doc matched the page');
    assert.deepEqual(await mainProbe(page), { sameMain: true, sameFirst: true, removals: 0 });
    assert.equal(await page.getByLabel('Notes').inputValue(), 'one\ntwo <b>');
    assert.equal(await page.getByRole('slider', { name: 'Hours start' }).inputValue(), '6.5');
    assert.deepEqual(seen.pageErrors, []);
  });

test('bad events get an error naming the node, and the session carries on', async (t) => {
  const r = await open(t, { route: true });
  const ids = {
    int: await idOf(r.page, 'IntInput'), float: await idOf(r.page, 'FloatInput'),
    text: await idOf(r.page, 'TextAreaInput'), radio: await idOf(r.page, 'RadioBoxGroup'),
    days: await idOf(r.page, 'CheckBoxGroup'), cities: await idOf(r.page, 'MultiSelect'),
    range: await idOf(r.page, 'RangeSlider'), day: await idOf(r.page, 'DatePicker'),
    color: await idOf(r.page, 'ColorPicker'),
  };
  const bad = [
    [ids.int, 'value', 'seven', 'bad-value'], [ids.int, 'value', 2.5, 'bad-value'],
    [ids.int, 'start', 0, 'bad-prop'], [ids.float, 'value', true, 'bad-value'],
    [ids.float, 'step', 1, 'bad-prop'], [ids.text, 'value', 'x'.repeat(5001), 'bad-value'],
    [ids.text, 'rows', 9, 'bad-prop'], [ids.radio, 'value', 'Nowhere', 'bad-value'],
    [ids.radio, 'value', 1, 'bad-value'], [ids.radio, 'options', ['a'], 'bad-prop'],
    [ids.radio, 'value', ['Kelvin'], 'bad-value'], [ids.days, 'value', ['Mon', 'Sun'], 'bad-value'],
    [ids.days, 'value', ['Mon', 'Mon'], 'bad-value'], [ids.days, 'value', 'Mon', 'bad-value'],
    [ids.days, 'value', ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Mon'], 'bad-value'],
    [ids.cities, 'value', [1, 2], 'bad-value'], [ids.cities, 'size', 3, 'bad-prop'],
    [ids.cities, 'value', ['Rome', 7], 'bad-message'], [ids.int, 'value', [7], 'bad-value'],
    [ids.range, 'value', [1], 'bad-value'], [ids.range, 'value', [1, 2, 3], 'bad-value'],
    [ids.range, 'value', 5, 'bad-value'], [ids.range, 'value_start', 5, 'bad-prop'],
    [ids.day, 'value', '2026-02-29', 'bad-value'], [ids.day, 'value', '2026-1-1', 'bad-value'],
    [ids.day, 'start', '2026-01-01', 'bad-prop'], [ids.color, 'value', 'red', 'bad-value'],
    [ids.color, 'value', '#12345', 'bad-value'],
  ];
  for (const [id, prop, value, code] of bad) {
    const before = r.sock.fromServer.length;
    r.sock.send({ t: 'event', id, prop, value });
    await eventually(() => {
      const errs = r.sock.fromServer.slice(before).map((m) => JSON.parse(m))
        .filter((m) => m.t === 'error');
      assert.equal(errs.length, 1, `an error for ${prop}=${JSON.stringify(value).slice(0, 20)}`);
      assert.equal(errs[0].code, code);
      assert.equal(errs[0].id, code === 'bad-message' ? undefined : id); // no node: not parsed
    });
  }
  // the session goes on: a visitor's value still reaches the callback
  await r.page.getByLabel('Copies').fill('42');
  await r.page.getByLabel('Copies').press('Enter');
  await expectEcho(r.page, 'int:', 'int: 42');
  await r.page.getByRole('group', { name: 'Days' }).getByText('Tue').click();
  await expectEcho(r.page, 'days:', 'days: Mon, Tue');
  await r.page.getByLabel('Cities').selectOption(['Paris', 'Rome']);
  await expectEcho(r.page, 'cities:', 'cities: Paris, Rome');
  await r.page.locator('body').click({ position: { x: 5, y: 5 } });
  await screenshot(r.page, 'widgets2');
  clean(r, bad.length);
});

test('examples/inputs.c: every field feeds the summary', async (t) => {
  const r = await open(t, { at: inputsUrl });
  const summary = r.page.locator('.pn-markdown').first();
  assert.match(await summary.textContent(), /3 nights from 2026-12-20 for alone, about 800 €/);
  await r.page.getByLabel('Nights').fill('5');
  await r.page.getByLabel('Nights').press('Enter');
  await r.page.getByRole('radiogroup', { name: 'Travelling' }).getByText('as two').click();
  await r.page.getByRole('group', { name: 'Likes' }).getByText('museums').click();
  await r.page.getByLabel('Cities').selectOption(['Porto', 'Seville']);
  await r.page.getByRole('slider', { name: 'Out end' }).fill('20');
  await eventually(async () => {
    const text = await summary.textContent();
    assert.match(text, /5 nights from 2026-12-20 for as two/);
    assert.match(text, /Seeing Porto, Seville; liking museums, food; out from 9:00 to 20:00/);
  });
  await r.page.locator('body').click({ position: { x: 5, y: 5 } });
  await screenshot(r.page, 'inputs');
  clean(r);
});
