// The academic credit loop in a browser, on the demo: a student asks for
// credit and sends the learning agreement, the employer acknowledges it, the
// faculty supervisor approves it, the student logs hours; on a second
// request whose work is delivered, the employer approves the work, the
// student writes the reflection and the supervisor signs off. Then the
// university pages at both widths. axe checks every page it stops on.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, checkA11y, shot, signedIn } from './harness.mjs';

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

const as = (email, width = 1280) => signedIn(browser, server.base, email, { width });

async function submit(page, button) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button, exact: true }).click()]);
}

async function notice(page, text) {
  const n = page.locator('.notice[role="status"]');
  assert.match(await n.innerText(), text);
}

/** The credit request page of `student` in the supervisor's list. */
async function requestOf(page, student) {
  await page.goto(`${server.base}/university/credit`);
  const href = await page.getByRole('row', { name: new RegExp(student) }).getByRole('link').first().getAttribute('href');
  assert.match(href, /^\/credit\/\d+$/);
  return href;
}

test('a student asks for credit; agreement, acknowledgement, approval and hours', async () => {
  // Divya withdrew her first request; her shortlisted project is eligible again.
  const student = await as('divya.k@dit.example.ac.in');
  await student.goto(`${server.base}/me/credit`);
  await checkA11y(student, 'student credit list');
  await student.fill('#course_code', 'fin 380');
  await student.fill('#course_title', 'Finance Practicum');
  await student.fill('#credits', '0');
  await submit(student, 'Ask for credit');
  assert.match(await student.locator('#credits-error').innerText(), /0\.5 to 60/);
  await student.fill('#credits', '3');
  await submit(student, 'Ask for credit');
  await notice(student, /Write your learning agreement/);
  const path = new URL(student.url()).pathname;

  await student.fill('#goals', 'Build a budget template a centre manager can fill in alone');
  await submit(student, 'Save and send');
  assert.match(await student.locator('#goals-error').innerText(), /2 to 5 learning goals/);
  await checkA11y(student, 'agreement with errors');
  await student.fill('#goals', 'Build a budget template a centre manager can fill in alone\nExplain each formula in a notes sheet');
  await student.fill('#expected_hours', '18');
  await student.fill('#assessment', 'The template, the employer evaluation and a reflective report marked by my supervisor.');
  await submit(student, 'Save and send');
  await notice(student, /sent to the employer and your supervisor/);
  await shot(student, 'credit-sent');

  // The employer of that project acknowledges from their home.
  const org = await student.locator('main p.muted a').first().innerText();
  const employers = {
    'Anvaya Foundation': 'farah@anvaya.example',
    'Thistle & Thread': 'isla@thistleandthread.example',
    'Chai & Code Labs': 'rohan@chaiandcode.example',
  };
  const bossEmail = employers[org];
  assert.ok(bossEmail, `no demo login for ${org}`);
  const boss = await as(bossEmail);
  await boss.goto(`${server.base}/employer`);
  await boss.getByRole('link', { name: /takes .* for academic credit/ }).first().click();
  await checkA11y(boss, 'employer credit page');
  assert.equal(await boss.getByRole('heading', { name: 'Reflection' }).count(), 0);
  await submit(boss, 'Acknowledge the agreement');
  await notice(boss, /Acknowledged/);

  // The supervisor approves.
  const prof = await as('arvind.rao@dit.example.ac.in');
  const reqPath = await requestOf(prof, 'Divya Krishnan');
  assert.equal(reqPath, path);
  await prof.goto(`${server.base}${reqPath}`);
  await checkA11y(prof, 'supervisor decision');
  await submit(prof, 'Approve the agreement');
  await notice(prof, /Agreement approved/);

  // Hours.
  await student.goto(`${server.base}${path}`);
  await student.fill('#hours', '2.5');
  await student.fill('#note', 'Listed the cost lines with the centre manager');
  await submit(student, 'Log hours');
  await notice(student, /Hours logged/);
  assert.match(await student.getByRole('heading', { name: /Hours: 2\.5 of about 18/ }).innerText(), /2\.5/);
  await checkA11y(student, 'hours logged');
  for (const p of [student, boss, prof]) await p.context().close();
});

test('after the work is approved: reflection and sign-off', async () => {
  // Rahul delivered his work; his agreement waits for the supervisor.
  const prof = await as('arvind.rao@dit.example.ac.in');
  const path = await requestOf(prof, 'Rahul Verma');
  await prof.goto(`${server.base}${path}`);
  await submit(prof, 'Approve the agreement');

  const rahul = await as('rahul.verma@dit.example.ac.in');
  await rahul.goto(`${server.base}${path}`);
  await rahul.fill('#hours', '6');
  await rahul.fill('#note', 'Estimated emissions for the first five restaurants');
  await submit(rahul, 'Log hours');
  assert.match(await rahul.locator('main').innerText(), /once the employer approves your work/);

  // The employer approves the delivered work.
  const boss = await as('sofia@greenway.example');
  await boss.goto(`${server.base}/employer`);
  await boss.getByRole('link', { name: /Rahul Verma.* delivered/ }).first().click();
  const work = new URL(boss.url()).pathname;
  await boss.goto(`${server.base}${work}/approve`);
  await submit(boss, await boss.locator('main form button.btn').last().innerText());

  // The reflection, with a length rule, then sign-off beside the evaluation.
  await rahul.goto(`${server.base}${path}`);
  await rahul.fill('#did', 'Too short.');
  await submit(rahul, 'Send my reflection');
  assert.ok(await rahul.locator('#did-error').isVisible());
  await checkA11y(rahul, 'reflection with errors');
  const long = (s) => `${s} I estimated the footprint of ten restaurants from bills and supplier invoices, stated my uncertainty, and explained the cheapest cuts first.`;
  await rahul.fill('#did', long('What I did:'));
  await rahul.fill('#learnt', long('Against each goal:'));
  await rahul.fill('#skills', 'Spreadsheets, emission factors, writing for owners.');
  await rahul.fill('#differently', long('Next time:'));
  await submit(rahul, 'Send my reflection');
  await notice(rahul, /Reflection sent/);

  await prof.goto(`${server.base}${path}`);
  assert.ok(await prof.getByRole('heading', { name: 'Reflection' }).isVisible());
  assert.ok(await prof.getByRole('heading', { name: "The employer's evaluation" }).isVisible());
  await prof.getByLabel('A grade').check();
  await prof.fill('#grade', 'A-');
  await prof.fill('#signoff-comment', 'Careful estimates and an honest reflection. Well done.');
  await checkA11y(prof, 'sign-off');
  await submit(prof, 'Sign off');
  await notice(prof, /Signed off/);
  await rahul.goto(`${server.base}${path}`);
  assert.match(await rahul.getByRole('heading', { name: /Result: A-/ }).innerText(), /A-/);
  await shot(rahul, 'credit-signed-off');
  // The employer never sees the reflection or the grade.
  await boss.goto(`${server.base}${path}`);
  assert.equal(await boss.getByRole('heading', { name: 'Reflection' }).count(), 0);
  assert.equal(await boss.getByRole('heading', { name: /Result/ }).count(), 0);
  for (const p of [prof, rahul, boss]) await p.context().close();
});

for (const width of [390, 1280]) {
  test(`university pages at ${width} px`, async () => {
    const pages = {
      'careers@dit.example.ac.in': ['/university', '/university/students', '/university/students?stage=working',
        '/university/requests', '/university/team', '/university/credit'],
      'o.hughes@northbridge.example.ac.uk': ['/university', '/university/credit'],
      'careers@northbridge.example.ac.uk': ['/university/requests'],
      's.novak@mail.example': ['/me/university'],
      'pooja.reddy@dit.example.ac.in': ['/me/university', '/me/credit'],
    };
    for (const [email, paths] of Object.entries(pages)) {
      const page = await as(email, width);
      for (const p of paths) {
        const r = await page.goto(`${server.base}${p}`);
        assert.ok(r.ok(), `${email} ${p}: ${r.status()}`);
        const [scroll, inner] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        assert.ok(scroll <= inner, `${p} scrolls sideways at ${width} px`);
        await checkA11y(page, `${email} ${p} at ${width} px`);
        await shot(page, `${width}-university-${email.split('@')[0]}-${p.replace(/[^a-z0-9]+/gi, '-')}`);
      }
      // A student's timeline, from the list.
      if (email.startsWith('careers@dit')) {
        await page.goto(`${server.base}/university/students`);
        await page.getByRole('link', { name: 'Asha Rao' }).click();
        assert.ok(await page.getByRole('heading', { name: 'Applications' }).isVisible());
        await checkA11y(page, `timeline at ${width} px`);
      }
      await page.context().close();
    }
  });
}
