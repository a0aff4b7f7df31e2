// An employer's talent pipeline in a browser, on the demo: the talent pool
// with its filters, private tags and notes; finding discoverable students
// ranked for an open project, inviting one with a note; the student sees
// the invitation on the project and applies through the usual application;
// the employer sees it applied, hires them and records an offer of a role,
// which the student accepts. At both widths, with axe, and nothing scrolls
// sideways.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, checkA11y, shot, signedIn, noSidewaysScroll } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const as = (email, width) => signedIn(browser, server.base, email, { width });
const PROJECT = 'Fix accessibility issues in our React web dashboard';
// A different discoverable student at each width, so each run invites anew.
const INVITEE = {
  1280: { name: 'Daniel Kim', email: 'd.kim@northbridge.example.ac.uk' },
  390: { name: 'Grace Liu', email: 'grace.liu@mail.example' },
};

for (const width of [1280, 390]) {
  test(`talent pool, find, invite and apply at ${width} px`, async () => {
    const boss = await as('rohan@chaiandcode.example', width);
    await boss.goto(`${server.base}/employer`);
    // The pool: everyone Chai & Code shortlisted, hired or worked with.
    await boss.goto(`${server.base}/employer/talent`);
    assert.equal(await boss.locator('h1').innerText(), 'Talent pool');
    const status = await boss.getByRole('status').first().innerText();
    const total = Number(status.match(/^(\d+)/)?.[1]);
    assert.ok(total >= 10, `pool size: ${status}`);
    await noSidewaysScroll(boss, `talent pool at ${width} px`);
    await checkA11y(boss, `talent pool at ${width} px`);
    await shot(boss, `${width}-talent-pool`);

    // Filter by a private tag the demo wrote.
    await boss.selectOption('#tag', 'frontend');
    await Promise.all([boss.waitForNavigation(), boss.getByRole('button', { name: 'Show students' }).click()]);
    assert.match(await boss.getByRole('status').first().innerText(), /^1 student matches/);
    await Promise.all([boss.waitForNavigation(), boss.getByRole('link', { name: 'Karan Mehta' }).click()]);

    // One student: history with Chai & Code, tags, notes.
    assert.match(await boss.locator('h1').innerText(), /Karan Mehta/);
    assert.ok(await boss.getByText('his pitch listed the exact WCAG failures').isVisible());
    const note = `Checked in on ${width} px: keep for the spring front-end work.`;
    await boss.getByLabel('Add a note').fill(note);
    await Promise.all([boss.waitForNavigation(), boss.getByRole('button', { name: 'Add note' }).click()]);
    assert.ok(await boss.getByText(note).isVisible());
    await boss.getByRole('textbox', { name: 'Tags' }).fill('frontend, accessibility, interview next, <oops>');
    await Promise.all([boss.waitForNavigation(), boss.getByRole('button', { name: 'Save tags' }).click()]);
    assert.match(await boss.locator('#tags-error').innerText(), /tags use letters, digits/);
    assert.equal(await boss.locator('#tags').getAttribute('aria-invalid'), 'true');
    await noSidewaysScroll(boss, `pooled student at ${width} px`);
    await checkA11y(boss, `pooled student with an error at ${width} px`);
    await shot(boss, `${width}-talent-student`);

    // Find students for the accessibility project, and invite one.
    await boss.goto(`${server.base}/employer/talent`);
    await Promise.all([boss.waitForNavigation(), boss.getByRole('link', { name: 'Find students' }).click()]);
    await boss.selectOption('#project', { label: PROJECT });
    await Promise.all([boss.waitForNavigation(), boss.getByRole('button', { name: 'Find students' }).click()]);
    assert.match(await boss.getByRole('status').first().innerText(), /ranked for/);
    const scores = await boss.locator('.found-card h2 .badge').evaluateAll((els) =>
      els.map((e) => e.textContent).filter((t) => /% match/.test(t)).map((t) => Number.parseInt(t, 10)));
    assert.ok(scores.length >= 5, `found ${scores.length}`);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a), 'best match first');
    await noSidewaysScroll(boss, `find students at ${width} px`);
    await checkA11y(boss, `find students at ${width} px`);
    await shot(boss, `${width}-talent-find`);

    const who = INVITEE[width];
    const card = boss.locator('.found-card').filter({ hasText: who.name });
    await card.getByText(`Invite ${who.name} to apply`).click();
    await card.getByLabel('Your note (optional)').fill('Your tests-first habit is what this dashboard needs.');
    await Promise.all([boss.waitForNavigation(), card.getByRole('button', { name: /Send invitation/ }).click()]);
    assert.match(await boss.locator('.notice').first().innerText(), /Invitation sent/);
    assert.ok(await boss.locator('.found-card').filter({ hasText: who.name }).getByText('Invited', { exact: true }).isVisible());
    await checkA11y(boss, `find students after inviting at ${width} px`);

    // The student: a notification, the invitation on the project, then the
    // usual application.
    const student = await as(who.email, width);
    await student.goto(`${server.base}/me/notifications`);
    await Promise.all([student.waitForNavigation(), student.getByRole('link', { name: /Chai & Code Labs invites you to apply/ }).first().click()]);
    assert.match(await student.locator('#invite-h').innerText(), /Chai & Code Labs invited you to apply/);
    assert.ok(await student.getByText('Your tests-first habit is what this dashboard needs.').isVisible());
    const projectPath = new URL(student.url()).pathname;
    await noSidewaysScroll(student, `invited project at ${width} px`);
    await checkA11y(student, `invited project at ${width} px`);
    await shot(student, `${width}-talent-invited`);
    await Promise.all([student.waitForNavigation(), student.getByRole('link', { name: 'Apply to this project' }).first().click()]);
    await student.getByLabel('Your pitch').fill('I fixed colour contrast and focus order in our student society site and wrote tests for each fix.');
    if (await student.locator('#answer').count()) await student.locator('#answer').fill('Axe in CI, then a keyboard walk-through of each page.');
    await Promise.all([student.waitForNavigation(), student.getByRole('button', { name: /Send application/ }).click()]);
    await student.goto(`${server.base}/me/applications`);
    assert.ok(await student.getByText(PROJECT).first().isVisible());
    await student.context().close();

    // Back with the employer: the invitation shows as applied.
    await boss.reload();
    assert.ok(await boss.locator('.found-card').filter({ hasText: who.name }).getByText('Applied', { exact: true }).isVisible());

    if (width === 390) {
      // Hire through the usual path (its one place), then offer a role.
      await boss.goto(`${server.base}/employer${projectPath}/applicants`);
      await Promise.all([boss.waitForNavigation(), boss.getByRole('link', { name: `Hire ${who.name}…` }).click()]);
      await Promise.all([boss.waitForNavigation(), boss.getByRole('button', { name: /^Hire and pay/ }).click()]);
      assert.match(boss.url(), /notice=hired/);
      await boss.goto(`${server.base}/employer/talent?reason=hired`);
      await Promise.all([boss.waitForNavigation(), boss.getByRole('link', { name: who.name }).click()]);
      await boss.getByText(`Record an offer to ${who.name}`).click();
      await boss.getByLabel('Kind', { exact: true }).selectOption('full_time');
      await boss.getByLabel('Role title', { exact: true }).fill('Front-end developer');
      await boss.getByLabel('Start date', { exact: true }).fill('2027-07-01');
      await boss.getByLabel('From', { exact: true }).fill('60,000');
      await boss.getByLabel('To', { exact: true }).fill('75,000');
      await boss.getByLabel('Currency', { exact: true }).selectOption('INR');
      await boss.getByLabel('Per', { exact: true }).selectOption('month');
      await Promise.all([boss.waitForNavigation(), boss.getByRole('button', { name: 'Record the offer' }).click()]);
      assert.match(await boss.locator('.notice').first().innerText(), /Offer recorded/);
      assert.ok(await boss.getByText('Full-time role: Front-end developer').isVisible());
      await noSidewaysScroll(boss, 'pooled student with an offer');
      await checkA11y(boss, 'pooled student with an offer');
      await shot(boss, '390-talent-offer');

      const hired = await as(who.email, width);
      await hired.goto(`${server.base}/me/offers`);
      assert.ok(await hired.getByText('₹60,000–₹75,000 a month').isVisible());
      await checkA11y(hired, 'student offers');
      await noSidewaysScroll(hired, 'student offers');
      await shot(hired, '390-student-offers');
      await Promise.all([hired.waitForNavigation(), hired.getByRole('button', { name: /^Accept Front-end developer/ }).click()]);
      assert.match(await hired.locator('.notice').first().innerText(), /Answer saved/);
      assert.ok(await hired.getByText('Accepted', { exact: true }).first().isVisible());
      await hired.context().close();
      await boss.reload();
      assert.ok(await boss.locator('#offers').getByText('Accepted', { exact: true }).isVisible());
    }
    await boss.context().close();
  });
}

test('students choose whether employers find them', async () => {
  const s = await as('maya.johnson@mail.example', 390);
  await s.goto(`${server.base}/me/profile`);
  const find = s.getByLabel('Let employers find me');
  const invites = s.getByLabel('Let employers invite me to apply');
  assert.equal(await find.isChecked(), true, 'the demo has Maya discoverable');
  await find.uncheck();
  await invites.uncheck();
  await Promise.all([s.waitForNavigation(), s.getByRole('button', { name: 'Save these choices' }).click()]);
  assert.match(await s.locator('.notice').first().innerText(), /Saved/);
  assert.equal(await s.getByLabel('Let employers find me').isChecked(), false);
  assert.equal(await s.getByLabel('Let employers invite me to apply').isChecked(), false);
  await checkA11y(s, 'profile reach choices');
  await s.context().close();
  // She is gone from the employer's search at once.
  const boss = await as('rohan@chaiandcode.example', 1280);
  await boss.goto(`${server.base}/employer/talent/find`);
  assert.equal(await boss.locator('.found-card').filter({ hasText: 'Maya Johnson' }).count(), 0);
  await boss.context().close();
});
