// The foundation's story in a real browser: an employer registers, is
// verified, posts and publishes a project; a student registers, searches,
// finds it and opens it. Pages are checked with axe and photographed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, checkA11y, shot, shots } from './harness.mjs';

let server;
let browser;
const DEMO_PASSWORD = 'stint-demo-2026';
const PASSWORD = 'a long e2e passphrase';
const CSV = 'brand,price_per_100g\nBrightleaf,4.20\nHillcrest,3.85\n';
const TITLE = `Competitor pricing study for a tea brand ${Date.now() % 100000}`;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function isoDate(daysFromNow) {
  const d = new Date(Date.now() + daysFromNow * 86400_000);
  return d.toISOString().slice(0, 10);
}

async function signUp(page, role, name, email) {
  await page.goto(`${server.base}/signup?role=${role}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

async function signIn(page, email, password) {
  await page.goto(`${server.base}/login`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('public pages are accessible and look right', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(server.base);
  assert.match(await page.locator('h1').innerText(), /paid projects/);
  await checkA11y(page, 'home');
  await shot(page, '01-home');
  await page.goto(`${server.base}/projects?q=market+research`);
  await checkA11y(page, 'browse');
  await shot(page, '02-browse');
  await page.locator('.project-card h3 a').first().click();
  await checkA11y(page, 'project');
  await shot(page, '03-project');
  await page.goto(`${server.base}/signup`);
  await checkA11y(page, 'signup');
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await phone.goto(`${server.base}/projects`);
  await shot(phone, '04-browse-phone');
  await phone.close();
  await ctx.close();
});

test('employer posts a project, admin verifies, employer publishes, student finds it', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const page = await ctx.newPage();

  // The employer signs up and creates an organization.
  await signUp(page, 'employer', 'Nadia Employer', 'nadia@teaco.example');
  await page.waitForURL(/\/employer/);
  await page.getByLabel('Name', { exact: true }).fill('TeaCo Analytics');
  await page.getByLabel('Website').fill('https://teaco.example');
  await page.getByLabel('Country code').fill('IN');
  await page.getByLabel('About').fill('We help tea brands grow online.');
  await page.getByRole('button', { name: 'Create organization' }).click();
  await page.waitForURL(/notice=org_created/);
  await shot(page, '05-employer-dashboard');

  // A draft, from the market-research template.
  await page.goto(`${server.base}/employer/projects/new`);
  await page.getByLabel('Start from a template').selectOption('market-research');
  await page.getByRole('button', { name: 'Use template' }).click();
  await page.getByLabel('Title').fill(TITLE);
  await page.getByLabel('Summary').fill('Compare prices and positioning of ten tea brands sold online in India.');
  // The template's instructions are replaced with the real brief and numbers.
  await page.getByLabel('Brief').fill('We sell loose-leaf tea online. We want to know how ten competing brands price and position their 100 g packs across Amazon, Flipkart and their own shops.');
  await page.getByLabel('Deliverables').fill('- A report of 6 pages with findings and sources\n- A spreadsheet of the prices gathered\n- A one-page summary of recommendations');
  await page.locator('details.group', { hasText: 'Market research' }).first().locator('summary').click();
  await page.locator('input[name=required_skills][value=competitive-analysis]').check();
  await page.getByLabel('Estimated hours').fill('15');
  await page.getByLabel('Price').fill('6000');
  await page.getByLabel('Currency').selectOption('INR');
  await page.getByLabel('Application deadline').fill(isoDate(7));
  await page.getByLabel('Decide by').fill(isoDate(9));
  await page.getByLabel('Start date').fill(isoDate(10));
  await page.getByLabel('Due date').fill(isoDate(20));
  await checkA11y(page, 'project form');
  await shot(page, '06-project-form');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await page.waitForURL(/notice=draft_saved/);
  const projectUrl = page.url().split('?')[0];

  // Not verified yet: publishing says so.
  await page.getByRole('button', { name: 'Publish' }).click();
  assert.match(await page.locator('#publish-errors').innerText(), /must be verified/);
  await shot(page, '07-publish-refused');

  // The admin verifies the organization.
  const admin = await (await browser.newContext({ bypassCSP: true })).newPage();
  await signIn(admin, 'admin@stint.example', DEMO_PASSWORD);
  await admin.waitForURL(/admin\/verifications/);
  await checkA11y(admin, 'verification queue');
  await shot(admin, '08-admin-queue');
  await admin.getByRole('link', { name: 'Verify TeaCo Analytics' }).click();
  await admin.waitForURL(/\/verify$/);
  await checkA11y(admin, 'verify confirmation');
  await admin.getByRole('button', { name: 'Verify TeaCo Analytics' }).click();
  await admin.waitForURL(/notice=org_verified/);

  // Now it publishes.
  await page.goto(projectUrl);
  await page.getByRole('button', { name: 'Publish' }).click();
  await page.waitForURL(/notice=published/);
  assert.match(await page.locator('.notice').first().innerText(), /live/);

  // A student signs up, searches and opens it.
  const student = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })).newPage();
  await signUp(student, 'student', 'Sam Student', 'sam@student.example');
  await student.waitForURL(/me\/profile/);
  await checkA11y(student, 'profile');
  await shot(student, '09-student-profile');
  await student.goto(`${server.base}/projects`);
  await student.getByLabel('Keywords').fill('tea pricing');
  await student.getByRole('button', { name: 'Search', exact: true }).click();
  const card = student.locator('.project-card', { hasText: TITLE });
  await card.waitFor();
  await shot(student, '10-student-search');
  await card.getByRole('link', { name: TITLE }).click();
  assert.equal(await student.locator('h1').innerText(), TITLE);
  assert.match(await student.locator('.facts-card').innerText(), /₹6,000 fixed/);
  assert.match(await student.locator('.facts-card').innerText(), /₹400 an hour/);
  const ld = await student.locator('script[type="application/ld+json"]').textContent();
  assert.equal(JSON.parse(ld)['@type'], 'JobPosting');
  await shot(student, '11-student-project');

  // The student applies from the project page.
  await student.getByRole('link', { name: 'Apply to this project' }).first().click();
  await student.waitForURL(/\/apply$/);
  await student.getByLabel('Your pitch').fill('I compared prices of 12 snack brands for a class project and built the spreadsheet our team used.');
  if (await student.locator('#answer').count()) await student.locator('#answer').fill('A spreadsheet, then a short deck.');
  await student.getByRole('button', { name: 'Send application' }).click();
  await student.waitForURL(/me\/applications/);
  await checkA11y(student, 'my applications');
  await shot(student, '12-student-applications');

  // The employer reviews applicants and hires.
  await page.goto(projectUrl);
  await page.getByRole('link', { name: 'Applicants' }).click();
  await page.waitForURL(/applicants/);
  assert.match(await page.locator('main').innerText(), /Sam Student/);
  await checkA11y(page, 'applicants');
  await shot(page, '13-employer-applicants');
  // Hiring asks first and shows the price, Stint's fee and the total.
  await page.getByRole('link', { name: 'Hire Sam Student…' }).click();
  await page.waitForURL(/\/hire$/);
  const quote = await page.locator('main').innerText();
  assert.match(quote, /Price/);
  assert.match(quote, /Stint's fee/);
  assert.match(quote, /You pay/);
  assert.match(quote, /keeps 25%/);
  await checkA11y(page, 'hire confirmation');
  await shot(page, '13a-hire-confirmation');
  await page.getByRole('button', { name: /^Hire and pay/ }).click();
  await page.waitForURL(/notice=hired_filled/);
  assert.match(await page.locator('.notice').first().innerText(), /every place is now taken/);
  await shot(page, '14-employer-hired');
  await student.goto(`${server.base}/me/applications`);
  assert.match(await student.locator('table').innerText(), /Hired/);

  // Delivery: the student asks, submits; the employer asks for a revision, then approves.
  await student.goto(`${server.base}/me/work`);
  await student.getByRole('link', { name: TITLE }).click();
  await student.getByLabel('Write to the employer').fill('Should I include supermarket own brands?');
  await student.getByLabel('Kind of message').selectOption('question');
  await student.getByRole('button', { name: 'Post' }).click();
  await student.waitForURL(/notice=posted/);
  await student.getByLabel(/What you deliver/).fill('Comparison sheet of ten brands and a six-slide summary.');
  await student.locator('#slink0').fill('https://docs.example/tea-v1');
  // A file that is not what its name says is refused with a clear message.
  await student.getByLabel('Files', { exact: true }).setInputFiles({ name: 'prices.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ not really a pdf') });
  await student.getByRole('button', { name: 'Submit work' }).click();
  assert.match(await student.locator('main').innerText(), /prices\.pdf does not look like a \.pdf file/);
  // What was typed is kept; only the file has to be chosen again.
  assert.equal(await student.getByLabel(/What you deliver/).inputValue(), 'Comparison sheet of ten brands and a six-slide summary.');
  assert.equal(await student.locator('#slink0').inputValue(), 'https://docs.example/tea-v1');
  await student.getByLabel('Files', { exact: true }).setInputFiles({ name: 'tea-brands.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) });
  await student.locator('form[action$="/submissions"]').screenshot({ path: `${shots}/15a-submit-form.png` });
  await student.getByRole('button', { name: 'Submit work' }).click();
  await student.waitForURL(/notice=submitted/);
  assert.match(await student.locator('main').innerText(), /tea-brands\.csv/);
  await checkA11y(student, 'workspace (student)');
  await shot(student, '15-workspace-student');

  // The employer opens the same workspace and downloads the file.
  await page.goto(`${server.base}${await student.evaluate(() => location.pathname)}`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'tea-brands.csv' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'tea-brands.csv');
  const fs = await import('node:fs/promises');
  assert.equal(await fs.readFile(await download.path(), 'utf8'), CSV);
  await page.getByLabel(/ask for a revision/).fill('Please add own brands from two supermarkets.');
  await page.getByRole('button', { name: 'Request revision' }).click();
  await page.waitForURL(/notice=revision_requested/);
  await student.reload();
  await student.getByLabel(/What you deliver/).fill('Added own brands from two supermarkets; sheet and slides updated.');
  await student.getByRole('button', { name: 'Submit work' }).click();
  await student.waitForURL(/notice=submitted/);
  await page.reload();
  await checkA11y(page, 'workspace (employer)');
  // Approving asks first and says what is released.
  await page.getByRole('link', { name: /Approve and release/ }).click();
  await page.waitForURL(/\/approve$/);
  assert.match(await page.locator('main').innerText(), /Released to the student/);
  await checkA11y(page, 'approve confirmation');
  await shot(page, '15b-approve-confirmation');
  await page.getByRole('button', { name: /Approve and release/ }).click();
  await page.waitForURL(/notice=approved/);
  await shot(page, '16-workspace-approved');
  await student.goto(`${server.base}/me/work`);
  assert.match(await student.locator('main').innerText(), /Paid/);
  await shot(student, '17-student-work');
  // The student downloads their earnings and payouts.
  const [earnings] = await Promise.all([
    student.waitForEvent('download'),
    student.getByRole('link', { name: /Download earnings and payouts/ }).click(),
  ]);
  assert.equal(earnings.suggestedFilename(), 'stint-earnings.csv');
  const earningsCsv = await fs.readFile(await earnings.path(), 'utf8');
  assert.match(earningsCsv, /^date,engagement,project,employer,entry,amount,currency,reference/);
  assert.match(earningsCsv, /Paid out to you/);
  // The employer opens the hire's numbered receipt from billing.
  await page.goto(`${server.base}/employer`);
  await page.getByRole('link', { name: 'Billing and receipts' }).click();
  await checkA11y(page, 'billing');
  await shot(page, '16a-billing');
  await page.locator('table.list a').first().click();
  await page.waitForURL(/\/receipts\/\d+$/);
  const receipt = await page.locator('main').innerText();
  assert.match(receipt, /Receipt \d+/);
  assert.match(receipt, new RegExp(TITLE));
  assert.match(receipt, /Total/);
  await checkA11y(page, 'receipt');
  await shot(page, '16b-receipt');

  // Both review; each sees the other's once both are in.
  await student.getByRole('link', { name: TITLE }).click();
  const workspace = student.url();
  for (const group of ['Clarity of the brief', 'Support', 'Payment speed']) {
    await student.getByRole('group', { name: group }).getByLabel('5').check();
  }
  await student.getByLabel('Your review').fill('A clear brief and quick answers to my questions.');
  await student.getByRole('button', { name: 'Send review' }).click();
  await student.waitForURL(/notice=reviewed/);
  assert.match(await student.locator('main').innerText(), /has reviewed you|Your review/);
  await page.goto(workspace);
  for (const group of ['Quality of work', 'Communication', 'Timeliness']) {
    await page.getByRole('group', { name: group }).getByLabel('5').check();
  }
  await page.getByLabel('Your review').fill('Careful, well-sourced work, delivered early.');
  await page.getByLabel(/Recommendation/).fill('I would happily hire Sam again.');
  await checkA11y(page, 'review form');
  await page.getByRole('button', { name: 'Send review' }).click();
  await page.waitForURL(/notice=reviewed/);
  await student.reload();
  assert.match(await student.locator('main').innerText(), /I would happily hire Sam again/);
  await shot(student, '18-reviews');

  // The portfolio: the student lists outcomes, the employer confirms, the student publishes.
  await student.getByLabel(/^Outcomes/).fill('10 tea brands compared\n2 supermarket own brands added');
  await student.getByRole('button', { name: 'Save portfolio entry' }).click();
  await student.waitForURL(/notice=achievement_saved/);
  await page.reload();
  await page.getByRole('button', { name: 'Confirm these outcomes' }).click();
  await page.waitForURL(/notice=achievement_confirmed/);
  await student.goto(`${server.base}/me/profile`);
  await student.getByRole('button', { name: 'Make it public' }).click();
  await student.waitForURL(/notice=portfolio_public/);
  await student.getByRole('link', { name: 'View it' }).click();
  const anon = await (await browser.newContext({ bypassCSP: true })).newPage();
  await anon.goto(student.url());
  const text = await anon.locator('main').innerText();
  assert.match(text, /Verified/);
  assert.match(text, /10 tea brands compared/);
  assert.match(text, /I would happily hire Sam again/);
  await checkA11y(anon, 'portfolio');
  await shot(anon, '19-portfolio');
  await ctx.close();
});

test('admin payments queue and email choices are usable', async () => {
  const admin = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })).newPage();
  await signIn(admin, 'admin@stint.example', DEMO_PASSWORD);
  await admin.getByRole('link', { name: 'Payments' }).click();
  await admin.waitForURL(/\/admin\/payments/);
  assert.match(await admin.locator('h1').innerText(), /Payments/);
  await checkA11y(admin, 'admin payments');
  // Every payout is listed with the time it took after approval.
  assert.match(await admin.locator('main').innerText(), /Payout speed/);
  await shot(admin, '20-admin-payments');

  const student = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true })).newPage();
  await signIn(student, 'asha.rao@dit.example.ac.in', DEMO_PASSWORD);
  await student.goto(`${server.base}/me/notifications`);
  const messages = student.getByLabel('Messages and questions');
  assert.equal(await messages.isChecked(), true);
  await messages.uncheck();
  await student.getByRole('button', { name: 'Save email choices' }).click();
  await student.waitForURL(/notice=email_saved/);
  assert.equal(await student.getByLabel('Messages and questions').isChecked(), false);
  assert.equal(await student.getByLabel('Work, deadlines and payments').isChecked(), true);
  await checkA11y(student, 'notifications');
  await shot(student, '21-email-choices');
});

test('a student sees matches with reasons, compares, saves a search and is alerted', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  const student = await ctx.newPage();
  await signIn(student, 'asha.rao@dit.example.ac.in', DEMO_PASSWORD);
  await student.goto(`${server.base}/`);
  assert.match(await student.locator('h1').first().innerText(), /Hello, Asha/);
  assert.match(await student.locator('#for-you-h').innerText(), /Matched for you/);
  const suggestions = student.locator('ol.suggestions > li');
  assert.ok((await suggestions.count()) >= 3, 'at least three suggestions');
  assert.match(await suggestions.first().innerText(), /% match/);
  assert.ok((await suggestions.first().locator('ul.reasons li').count()) >= 3, 'reasons listed');
  await checkA11y(student, 'home (student)');
  await shot(student, '22-matched-for-you');

  // Compare three of them side by side.
  for (let i = 0; i < 3; i++) {
    await suggestions.nth(i).getByLabel(/Compare/).check();
  }
  await student.getByRole('button', { name: 'Compare selected' }).click();
  await student.waitForURL(/\/compare\?/);
  assert.equal(await student.locator('table.compare thead th').count(), 4, 'a label column and three projects');
  assert.match(await student.locator('table.compare').innerText(), /Your match/);
  await checkA11y(student, 'compare');
  await shot(student, '23-compare');

  // Save a search, then an employer publishes a project that matches it.
  await student.goto(`${server.base}/projects?q=churn`);
  await student.getByLabel('Name', { exact: true }).fill('Churn analysis');
  await student.getByRole('button', { name: 'Save search' }).click();
  await student.waitForURL(/notice=search_saved/);
  assert.match(await student.locator('main').innerText(), /Churn analysis/);
  await checkA11y(student, 'saved searches');

  const login = await fetch(`${server.base}/api/v1/auth/token`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'priya@brightleaf.example', password: DEMO_PASSWORD }),
  });
  const { token } = await login.json();
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const created = await fetch(`${server.base}/api/v1/projects`, {
    method: 'POST', headers: auth,
    body: JSON.stringify({
      title: 'Customer churn analysis for a subscription app',
      summary: 'Find out why subscribers cancel: analyse churn in our usage and survey data.',
      brief: 'We have twelve months of subscription data and an exit survey. Find the main reasons for churn and size them.',
      deliverables: '- A churn analysis in a spreadsheet\n- A two-page summary', acceptance_criteria: '- Every figure is sourced',
      category: 'data-analysis', required_skills: ['spreadsheets', 'statistics'], preferred_skills: ['python'],
      estimated_hours: 20, start_date: isoDate(12), due_date: isoDate(26), price_minor: 1200000, currency: 'INR',
      work_mode: 'remote', slots: 1, application_deadline: isoDate(5), decision_by: isoDate(8),
    }),
  });
  assert.equal(created.status, 201);
  const { id } = await created.json();
  const published = await fetch(`${server.base}/api/v1/projects/${id}/publish`, { method: 'POST', headers: auth });
  assert.equal(published.status, 200);

  let found = false;
  for (let i = 0; i < 50 && !found; i++) {
    await student.goto(`${server.base}/me/notifications`);
    found = (await student.locator('main').innerText()).includes('New for your search “Churn analysis”');
    if (!found) await new Promise((r) => setTimeout(r, 200));
  }
  assert.ok(found, 'the saved search alerted the student');
  await shot(student, '24-search-alert');
  await ctx.close();
});

test('search updates as you type, and is a plain form without JavaScript', async () => {
  // The page's own Content-Security-Policy applies here: the script must load under it.
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  const blocked = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) blocked.push(m.text()); });
  await page.goto(`${server.base}/projects`);
  const before = await page.locator('#result-count').innerText();
  await page.evaluate(() => { window.stillHere = true; });
  await page.getByLabel('Keywords').pressSequentially('coff', { delay: 60 });
  await page.waitForURL(/[?&]q=coff/);
  await page.waitForFunction(() => {
    const titles = [...document.querySelectorAll('.project-card h3')].map((h) => h.textContent);
    return titles.length > 0 && titles.every((t) => /coffee/i.test(t));
  });
  assert.notEqual(await page.locator('#result-count').innerText(), before, 'the count follows the words');
  assert.equal(await page.evaluate(() => window.stillHere), true, 'no page load: results were swapped in');
  assert.equal(await page.getByLabel('Keywords').evaluate((el) => el === document.activeElement), true, 'focus stays in the box');
  // A filter change applies at once too.
  await page.getByLabel('Work mode').selectOption('in_person');
  await page.waitForURL(/mode=in_person/);
  await page.waitForFunction(() => /^0 projects/.test(document.getElementById('result-count').textContent)
    || [...document.querySelectorAll('.project-card')].every((c) => /In person/i.test(c.textContent)));
  assert.deepEqual(blocked, [], 'nothing blocked by the CSP');
  await shot(page, '26-search-as-you-type');
  await ctx.close();

  const plain = await browser.newContext({ javaScriptEnabled: false });
  const p2 = await plain.newPage();
  await p2.goto(`${server.base}/projects`);
  await p2.getByLabel('Keywords').fill('coffee');
  await p2.getByLabel('Keywords').press('Enter');
  await p2.waitForURL(/[?&]q=coffee/);
  assert.match(await p2.locator('.project-card h3').first().innerText(), /coffee/i);
  await plain.close();
});
