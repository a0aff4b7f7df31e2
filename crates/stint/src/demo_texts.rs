//! What the people of the demo world write: each project's acceptance
//! criteria, how applicants would go about it and their answers to its
//! screening question, each student's bio and the evidence they cite, and
//! the conversation, deliverables, reviews and outcomes of the projects the
//! demo hires for. Written per project, so no two unrelated projects share a
//! sentence; `tests` below check that every project has its texts.

/// The texts of one project in `demo_data::PROJECTS`, matched by title.
pub struct ProjectTexts {
    pub title: &'static str,
    pub criteria: &'static str,
    /// How applicants would go about the work, first person; applicants take
    /// them in turn.
    pub approaches: &'static [&'static str],
    /// Answers to the screening question, in turn; empty without a question.
    pub answers: &'static [&'static str],
}

pub fn project(title: &str) -> Option<&'static ProjectTexts> {
    PROJECT_TEXTS.iter().find(|p| p.title == title)
}

pub const PROJECT_TEXTS: &[ProjectTexts] = &[
    ProjectTexts {
        title: "Analyse 500 customer survey responses for a skincare brand",
        criteria: "- Every one of the 500 responses carries exactly one main theme, from a codebook of at most 12 themes\n- A second coder's check of 50 random responses agrees on at least 85% of them\n- Score tables match the raw data to the decimal\n- The report names three actions, each tied to a finding",
        approaches: &[
            "I'd read the first 80 answers before writing a single code, draft a codebook of about ten themes with an example quote for each, and only then code the rest. Scores by city and age band are a pivot once the data is clean; the time goes into the themes.",
            "My plan: clean the export, build the codebook from a sample, code everything, then re-code a random 50 blind a few days later to check I'm consistent. I'd keep the report to what the founders can change next month: packaging, delivery or formula.",
            "I would split the work in three: coding (most of the hours), the score summaries by city and age band with counts next to every average, and a short read-out that leads with the three things buyers mention most.",
        ],
        answers: &[
            "A written codebook with a definition, an include/exclude rule and two real example quotes per theme. Then we both code the same 50 answers separately, compare, and fix the definitions wherever we disagreed before coding the rest.",
            "I'd agree the themes first, then double-code a sample and measure agreement (Cohen's kappa if you want a number). Any theme we keep disagreeing on is either too vague or really two themes, so it gets split or merged.",
            "Clear rules plus a check. In my survey methods module we coded 300 canteen feedback answers in pairs: we only reached decent agreement after adding 'what this theme is not' to every definition.",
        ],
    },
    ProjectTexts {
        title: "Competitive analysis of 8 Indian D2C coffee brands",
        criteria: "- All 8 brands covered on all 15 attributes, or the gap marked with why\n- Every price and offer dated and linked to its source\n- Review themes drawn from at least 30 reviews per brand\n- The deck ends with a clear view on where a subscription tier would fit",
        approaches: &[
            "I'd fix the 15 attributes with you on day one, then fill the sheet brand by brand so every cell has a source and a date. Prices per 100 g need care because pack sizes differ, so I'd normalise them and show the working.",
            "I'd start with the subscription offers since that is the decision you're making, then work outwards: pricing, delivery promises, Instagram, and finally reviews from Amazon and each brand's own site.",
            "My approach is one sheet, one source column, no unsourced numbers. For the Instagram part I'd look at posting frequency and engagement on the last 30 posts rather than follower counts, which are easy to inflate.",
        ],
        answers: &[
            "Blue Tokai, for now: clear origin stories, a subscription that's easy to pause, and prices that sit just below the imported brands. Their weak spot is delivery outside the metros, which reviews mention a lot.",
            "I think Sleepy Owl is positioned best for new coffee drinkers: cold brew packs remove the equipment barrier. For a subscription aimed at enthusiasts, though, Third Wave's café presence gives it more trust.",
            "Hard to say before doing the work, but from the outside Araku stands out: a premium story backed by the farms, and packaging that looks nothing like the rest. Whether the price holds up per 100 g is what I'd check.",
        ],
    },
    ProjectTexts {
        title: "Build a Tableau dashboard of monthly sales",
        criteria: "- Revenue and order totals in the dashboard match the Shopify exports for every month\n- Filters for channel, region and month work together\n- Repeat rate is defined on the dashboard itself\n- A sales team member can answer three test questions using the guide alone",
        approaches: &[
            "I'd stack the 24 monthly exports into one clean table first (they always drift: renamed columns, refunds, test orders), reconcile the totals with Shopify, and only then build the views. A dashboard is only trusted if the numbers match.",
            "My plan is a small star schema (orders, customers, a date table), then four views: revenue trend, channel mix, regional map and repeat rate. I'd run the draft past one person from sales before polishing.",
            "I'd agree the definitions before touching Tableau: what counts as a repeat customer, how refunds and cancellations are treated, which date an order belongs to. Then build, check against Shopify, and write the one-page guide.",
        ],
        answers: &[
            "https://public.tableau.example/{me}/campus-canteen-sales is a dashboard I built from 18 months of canteen till data, with filters by outlet and meal.",
            "Here's a Tableau Public workbook on Indian rail punctuality: https://public.tableau.example/{me}/rail-delays. The data model behind it joins three messy government CSVs.",
            "I've mostly built charts in Python, for example https://portfolio.example/{me}/energy-charts, but I've done the Tableau desktop specialist course and rebuilt two of those charts there.",
        ],
    },
    ProjectTexts {
        title: "Test our shop-keeper billing app on five Android phones",
        criteria: "- Every case in the test plan run on all five phones, with pass or fail recorded\n- Each bug report has steps that reproduce it, a screenshot and the device and Android version\n- At least two hours of exploratory testing beyond the plan, logged\n- The summary ranks the five riskiest issues for release",
        approaches: &[
            "I'd run your plan phone by phone, logging every result as I go, then spend the last few hours off-script doing what a busy shopkeeper would: billing with a queue waiting, poor network, low storage, switching apps mid-bill.",
            "My approach: first a smoke pass on all five phones to catch blockers early and send them to you the same day, then the full plan, then exploratory sessions focused on credit tracking, since that's where money errors would hurt.",
            "I test the way I write bug reports: one issue, exact steps, what I expected, what happened, device and build. I'd also try Hindi and Marathi input and a very large bill, which budget phones often struggle with.",
        ],
        answers: &[
            "I have a Redmi 9A and a Samsung Galaxy M12 at home, and my cousin's Realme C11 and Moto E7 I can borrow. That's four; for the fifth I'd use your device list.",
            "A Samsung Galaxy A03 (2 GB RAM) of my own and two older phones from my family, a Redmi Note 7 and a Vivo Y15. I could also use the test lab at my college, which has a few Android Go devices.",
            "I own a Poco M3 and have access to a Nokia 2.4 running Android 12 Go edition, which is close to what many small shopkeepers use.",
        ],
    },
    ProjectTexts {
        title: "Write onboarding copy for a retail inventory app",
        criteria: "- Every string in the onboarding flow rewritten, none left out\n- Each string fits its screen's length limit\n- No jargon a first-time shop owner would not know, checked against the tone notes\n- Changes from the revision round made within two working days",
        approaches: &[
            "I'd go through the flow on a phone as a shop owner would, note where I hesitate, then rewrite every string in plain words and keep a short note on why each change helps.",
            "My plan is to write the tone notes first (short sentences, the shop owner's words, no blame in errors), agree them with you, then rewrite every string against them so the whole flow sounds like one voice.",
            "I'd write each screen in two lengths, so nothing breaks on small phones, and read every line aloud: if it sounds odd spoken to a shopkeeper, it gets rewritten.",
        ],
        answers: &[
            "\"We couldn't update your stock just now. Your items are safe on this phone; we'll try again when you're back online.\"",
            "\"Your stock didn't update. Check your internet, then tap Try again. Nothing you entered has been lost.\"",
            "\"Stock not saved to the cloud yet. It's still on this phone and will update by itself when the internet is back.\"",
        ],
    },
    ProjectTexts {
        title: "Fix accessibility issues in our React web dashboard",
        criteria: "- An audit against WCAG 2.2 AA of the five main screens, each issue with its success criterion\n- The pull request fixes every issue rated serious or critical, with tests that fail before the fix\n- The dashboard can be used with the keyboard alone and with a screen reader\n- Before/after notes a developer can follow",
        approaches: &[
            "I'd start with an axe scan for the quick wins, then do the part tools miss: the whole dashboard with keyboard only, then with NVDA. Fixes go in small commits with tests using Testing Library's accessible queries.",
            "My plan: audit first and share the list so you can prioritise, then fix in order of impact (focus management and form labels usually first), adding jest-axe checks so the issues don't creep back.",
            "I'd fix the root components rather than each screen: a proper button, an accessible modal with focus trapping, labelled inputs. That way one fix covers the dashboard and new screens start accessible.",
        ],
        answers: &[
            "Buttons that are really divs: no keyboard focus, no role, nothing for a screen reader to announce. Close second is form fields with placeholder text instead of a label.",
            "Missing or wrong focus handling, especially in modals: focus stays behind the dialog, or disappears when it closes, so keyboard users get lost.",
            "Low contrast text, by far. Light grey on white looks clean in a design file and is unreadable for many people on a bright phone screen.",
        ],
    },
    ProjectTexts {
        title: "Design a fundraising report for our annual appeal",
        criteria: "- 12 pages following Anvaya's colours and fonts\n- Every figure in the report matches the numbers Anvaya supplied\n- Print-ready PDF with 3 mm bleed in CMYK; web PDF under 5 MB\n- Body text at least 10 pt and passes contrast checks",
        approaches: &[
            "I'd start with the story the report should tell a donor in one minute, sketch a flat plan for the 12 pages, and only then design. Photos of the centres should carry it, with the numbers as big simple callouts.",
            "My approach: a grid and type system first, two spread designs for you to react to, then the full layout. I'd prepare the print PDF with your printer's specs from the start so there are no surprises.",
            "I'd design for two readers: the donor who flips through (headlines, photos, three key numbers) and the one who reads everything (clear sections, readable body text, a plain budget breakdown).",
        ],
        answers: &[
            "A 16-page impact report I laid out for my college's NSS unit: https://portfolio.example/{me}/nss-report. The hardest part was making the budget page readable.",
            "This zine for a Glasgow food bank, printed in two colours on a tiny budget: https://portfolio.example/{me}/foodbank-zine.",
            "My degree show catalogue: https://portfolio.example/{me}/catalogue. I designed the grid so 40 artists' work sat together without fighting.",
        ],
    },
    ProjectTexts {
        title: "Clean our volunteer database of 3,000 records",
        criteria: "- Every record in the template's format: names, phone numbers and areas standardised\n- Duplicates merged with nothing lost; each merge listed in the log\n- Records that cannot be fixed without asking the volunteer are on the follow-up list with the reason\n- The cleaning rules are written so staff can apply them to new records",
        approaches: &[
            "I'd copy the data before touching it, then work rule by rule: trim and case names, format phone numbers to +91, standardise areas against your list, and only then hunt for duplicates. Every rule goes in the log.",
            "My plan is to profile the data first (how many blanks, formats and likely duplicates), share that with you in a page, and agree what to merge automatically and what needs a person to decide.",
            "I'd use OpenRefine for the clustering (it's good with misspelt names) and a spreadsheet for the final template, so staff can repeat the rules without new software.",
        ],
        answers: &[
            "Match on the phone number first, since it rarely changes, then compare names with fuzzy matching and check pairs that score high by hand. 'Mohd. Irfan' and 'Mohammed Irfan' with the same phone are almost certainly one person.",
            "I'd normalise names (lower case, no dots or titles), then use a similarity score like Jaro-Winkler together with another field such as area or date of birth. Anything in the grey zone goes to the follow-up list, not auto-merged.",
            "Group by a cleaned key (phone or email), then within the rest compare sounds rather than spellings: a phonetic key catches 'Shaikh' and 'Sheikh'. I'd never merge on name alone.",
        ],
    },
    ProjectTexts {
        title: "Plan a month of Instagram posts for our learning centres",
        criteria: "- 20 posts across four weeks, mixing stories from the centres, volunteer calls and donor thanks\n- Every caption under 150 words, in Anvaya's voice, with alt text\n- No child identifiable without the consent noted in the brief\n- Image briefs specific enough for the photographer to shoot from",
        approaches: &[
            "I'd build the month around four weekly themes (a child's progress, a volunteer, a centre, a thank-you) so the feed has rhythm, then write captions that start with a person, not the organisation.",
            "My plan: look at what your last 50 posts did, keep the formats that worked, and plan 20 posts with captions, alt text and a shot list, flagging any post that needs a consent check.",
            "I'd write the image briefs first: what the photographer can shoot without showing children's faces. Then captions that tell the story the photo can't.",
        ],
        answers: &[
            "Pratham's account: real classroom moments, short captions, and they show what a donation actually buys without making children look helpless.",
            "Akshaya Patra: they are good at turning numbers into a single image, like one plate of food, and their reels are short and well captioned.",
            "Smile Foundation, mainly for their volunteer stories. They let volunteers speak in their own words, which feels more honest than polished campaign posts.",
        ],
    },
    ProjectTexts {
        title: "Market sizing for a ready-to-cook breakfast range",
        criteria: "- Top-down and bottom-up estimates both built, with the gap between them explained\n- Every input sourced or marked as an assumption with its range\n- Sensitivity on the three inputs that move the answer most\n- The deck gives a market size for 2026 and 2030 with a range",
        approaches: &[
            "I'd build it twice: top-down from household consumption data and bottom-up from urban households × breakfast occasions × share cooking at home. Where the two disagree is usually where the insight is.",
            "My plan: agree the market definition first (which products count as ready-to-cook breakfast), then build the model with every assumption on one tab, and stress-test it with a quick check against listed competitors' sales.",
            "I'd keep the model simple enough for your brand team to change an assumption and see the result, with the sources and ranges next to each input.",
        ],
        answers: &[
            "Household consumption expenditure data from the NSS surveys, for what urban households spend on breakfast foods. It's official and broken down by income, which matters for a premium range.",
            "I'd start bottom-up from the number of urban dual-income households, since they're the likely buyers, then use a small survey or retail panel data to estimate how often they'd buy.",
            "Competitors' annual reports and retail audit snippets for instant upma and poha mixes. They give a real anchor for the current category, which I'd then grow with household data.",
        ],
    },
    ProjectTexts {
        title: "Map our distributor onboarding process",
        criteria: "- Current-state map covering every step from signed agreement to first order, with owners and typical times\n- Interviews with at least five people across sales, finance and logistics, notes shared\n- Delays and hand-offs marked on the map with evidence\n- Recommendations memo with at most five changes, each with its expected time saved",
        approaches: &[
            "I'd walk the process with the people who do it rather than from documents: five or six short interviews, then a swimlane map showing each team, each hand-off and how long things wait.",
            "My plan is to trace two or three recent distributors from agreement to first order, so the map shows what really happened, not the official version, and the delays have dates on them.",
            "I'd map the current state in BPMN-lite swimlanes, validate it with the people in it, and keep recommendations to the few hand-offs that cause most of the waiting.",
        ],
        answers: &[
            "At my college fest we took registrations on paper, typed them up, then emailed confirmations. I moved it to a Google Form feeding a sheet with automatic emails and we cut the desk queue from 40 minutes to about 10.",
            "In our student society, reimbursements waited for the treasurer's signature on paper. I set up a shared form and a weekly sign-off slot; the average wait went from three weeks to five days.",
            "In my last retail job, stock counts were done on paper and re-entered. I made a simple scanner sheet so counts went straight in; a Sunday count went from five hours to under three.",
        ],
    },
    ProjectTexts {
        title: "Summarise ESG disclosures of five FMCG peers",
        criteria: "- The latest BRSR or annual report of each of the five peers read, with page references\n- The table compares emissions, water, packaging and diversity metrics on a like-for-like basis\n- Gaps and good practice each backed by an example\n- The memo stays within five pages",
        approaches: &[
            "I'd read each company's latest BRSR core disclosures, put the comparable metrics side by side (Scope 1 and 2, water intensity, plastic collected, women in the workforce), and note where definitions differ so nothing misleads.",
            "My plan: a comparison table with a page reference for every number, then a memo that picks out what the leaders disclose and the others don't, and what that means for Meridian's next report.",
            "I'd focus on the metrics investors and the new BRSR assurance rules care about, and flag where a peer's number looks good only because it's measured differently.",
        ],
        answers: &[
            "BRSR: I worked through SEBI's format for a course project on two listed cement companies, including the core indicators that now need assurance.",
            "GRI, from my MBA sustainability elective. I've also read enough BRSR reports to map GRI disclosures onto its sections.",
            "I know the GHG Protocol best (Scope 1, 2 and 3), since my coursework was on carbon accounting; I've used it alongside TCFD-style climate disclosures.",
        ],
    },
    ProjectTexts {
        title: "Proofread and edit 10 product pages",
        criteria: "- All ten pages edited with tracked changes, none rewritten beyond the brief\n- Spelling and grammar consistent with Indian English and the style sheet\n- Product facts (sizes, weights, ingredients) unchanged unless queried\n- A style issues list of recurring problems with one fix each",
        approaches: &[
            "I'd read each page twice: once for sense and flow as a customer would, once line by line for spelling, grammar and consistency, with every change tracked and any doubt about a product fact left as a comment.",
            "My plan is to agree a short style sheet first (spellings, units, capitalisation of product names), then edit all ten pages against it so they read as one brand.",
            "I'd keep your voice and only change what makes reading harder, and collect recurring issues as I go so the list is useful for the next pages too.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Run 6 usability tests of our patient check-in flow",
        criteria: "- Six moderated sessions with participants who match the screener, at least two aged over 60\n- Sessions follow the agreed script and tasks, with consent recorded\n- Findings ranked by severity, each with the number of participants affected\n- No patient data or identifiable video leaves the agreed storage",
        approaches: &[
            "I'd write a short script around the real tasks (find your appointment, confirm details, say you're running late), recruit people who match your patients, including older adults, and keep my own opinions out of the room.",
            "My plan: pilot the script with one friend, run six 30-minute remote sessions, note every hesitation with a timestamp, and rank findings by how badly they block check-in.",
            "I'd focus on the moments where people give up or call the front desk instead, since that's the cost to the clinic, and back each finding with a quote or a clip.",
        ],
        answers: &[
            "My grandmother couldn't book her vaccine online because the form timed out while she looked for her ID number. I sat beside her without taking the mouse, wrote down where she got stuck, and we got it done together.",
            "Volunteering at a community centre, I helped older members who had never used the council's booking site. I made a one-page guide with screenshots and watched two of them use it; the second one needed no help at all.",
            "A neighbour was locked out of her bank app after an update. I didn't fix it for her; I asked her to show me what she did, which is how I learned that watching is more useful than explaining.",
        ],
    },
    ProjectTexts {
        title: "Build a cohort retention analysis in SQL",
        criteria: "- Queries run on a copy of the warehouse and are commented line by line where not obvious\n- Monthly cohorts for the last 18 months, logo and revenue retention both shown\n- Numbers reconcile with the finance team's monthly active clinics\n- The interpretation names the two cohorts that differ most and a likely reason",
        approaches: &[
            "I'd define a cohort by first paid month, build the activity table with a window function, then the retention matrix; and I'd reconcile the first cohort by hand before trusting the rest.",
            "My plan: agree what 'retained' means for a clinic (any login, or any billed visit), write the queries as CTEs you can read top to bottom, and show logo and revenue retention side by side.",
            "I'd keep the SQL plain and portable, add a small test dataset with known answers so the logic is checked, then chart it and write up what changes between cohorts.",
        ],
        answers: &[
            "Logo retention counts how many customers are still with you; revenue retention counts how much of their money is. A clinic that stays but downgrades keeps logo retention at 100% and lowers revenue retention.",
            "Logo retention is the share of accounts still active after N months. Revenue retention is the share of starting revenue still billed, and with upsells it can go above 100% even while logos churn.",
            "One counts customers, the other counts money. If small clinics churn and big ones expand, logo retention looks worrying while revenue retention looks great, so you need both.",
        ],
    },
    ProjectTexts {
        title: "Write 4 blog posts on remote patient monitoring",
        criteria: "- Four posts of 900 to 1,100 words, each on an agreed topic\n- Every clinical or statistical claim linked to a peer-reviewed or official source\n- Readable by a practice manager: no unexplained jargon\n- A meta description under 155 characters for each post",
        approaches: &[
            "I'd agree the four angles with you first (costs, workflows, patient experience, reimbursement), then research each from journals and CMS guidance, and write for a practice manager, not a clinician.",
            "My plan: an outline per post for you to approve, then drafts with every claim linked, and a final pass for plain language so each post can be read in five minutes.",
            "I'd interview one or two clinic staff if you can introduce me, since a real quote makes a post like this far more credible than statistics alone.",
        ],
        answers: &[
            "A long read on how rural clinics kept prenatal care going during the pandemic: https://portfolio.example/{me}/rural-clinics. It took twelve interviews and a lot of cutting.",
            "A guide to reading nutrition labels I wrote for my university's health society; it's been their most shared post two years running: https://portfolio.example/{me}/labels.",
            "A post on what email open rates actually measure, written for small-business owners: https://portfolio.example/{me}/open-rates.",
        ],
    },
    ProjectTexts {
        title: "Competitive pricing study of 30 hiking backpacks",
        criteria: "- 30 packs in the 20 to 40 litre range from at least eight brands\n- Price, capacity, weight and key features recorded for each, with the date and retailer\n- Price per litre and per feature compared on one chart\n- One page of observations on where Northwind's packs sit",
        approaches: &[
            "I'd pick the 30 packs with you (your direct rivals plus a few outliers), record list and sale prices from the same retailers on the same day, and compare price per litre and weight so the comparison is fair.",
            "My plan is a clean comparison sheet with one row per pack and sources, then a scatter of price against weight and capacity to show where the gaps in the market are.",
            "I'd separate features people pay for (hip belt, rain cover, frame) from ones they don't, by comparing pairs of otherwise similar packs.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Design a trail-guide illustration set",
        criteria: "- Eight icons on one grid with a consistent stroke, legible at 24 px\n- Two vignettes in Northwind's palette\n- SVGs clean (no stray points, outlined strokes) and named as agreed\n- Source files with layers named",
        approaches: &[
            "I'd sketch all eight icons together on one grid so they feel like a family, share the roughs before inking, and test them at 24 px on a phone screen, since that's where trail guides are read.",
            "My plan: agree a style from three quick directions, draw the icons in vector with a fixed stroke and corner radius, then paint the two vignettes in your palette.",
            "I'd start from how the icons are used on the trail guide (small, on maps, sometimes printed) and design for that first, then make the vignettes a more detailed version of the same style.",
        ],
        answers: &[
            "My portfolio is at https://portfolio.example/{me}; the national parks poster series is closest to this brief.",
            "A set of 20 campus wayfinding icons and a map illustration: https://portfolio.example/{me}/wayfinding.",
            "I designed the icon set for a student hiking club's app: https://portfolio.example/{me}/hike-icons.",
        ],
    },
    ProjectTexts {
        title: "Plan store staffing for the holiday season",
        criteria: "- A staffing model for each of the 12 pilot stores by hour, from last year's footfall and sales\n- Assumptions on one tab, each with its source\n- Labour cost within the budget Northwind gave, or the gap shown\n- A summary that a store manager can read in five minutes",
        approaches: &[
            "I'd build staffing from last year's hourly footfall and a target service level (people per staff member at peak), then cost it against your budget so the trade-off is visible store by store.",
            "I'd model demand by hour from last year's data, add this year's promotions, and set a minimum cover so no store runs with one person at close, then cost each week against the budget.",
            "My plan: one sheet per store feeding a summary, with the assumptions in one place, so managers can change their own inputs and see the result.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Write email newsletters for our spring launch",
        criteria: "- Four emails in Northwind's voice, each with one clear call to action\n- Two subject-line variants per email, under 50 characters\n- Product facts checked against the launch sheet\n- Plain-text versions included",
        approaches: &[
            "I'd plan the four emails as a sequence (teaser, launch, a story from the trail, last chance) so each has one job, and write two subject lines per email that test different ideas, not just different words.",
            "My plan is to read your last year of newsletters, keep what worked, and write all four emails with a plain-text version and the preview text, ready for your email tool.",
            "I'd write for someone reading on a phone between other emails: a short first line, one photo, one button.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Estimate the carbon footprint of 10 small restaurants",
        criteria: "- A completed workbook for each of the ten restaurants, Scope 1 and 2 plus food purchases\n- Emission factors cited with their source and year\n- Every estimate where data was missing marked as such, with the method used\n- The summary table compares restaurants per cover served",
        approaches: &[
            "I'd collect a year of energy bills and purchase records from each restaurant, use DEFRA factors for energy and published food factors for purchases, and mark every estimate so the owners know what to measure next time.",
            "My plan: a short data request each owner can fill in 20 minutes, then the workbooks, then a summary per cover so a tiny café and a large diner can be compared fairly.",
            "I'd start with the two or three biggest sources (usually beef and gas), get those right, and be honest about the smaller items instead of spending hours on them.",
        ],
        answers: &[
            "Food purchases, especially meat and dairy. For most restaurants they outweigh energy several times over, though a kitchen cooking on gas all day can come close.",
            "Beef, if it's on the menu. After food, natural gas for cooking and heating usually comes next, well ahead of electricity.",
            "I'd expect food to dominate, then refrigerant leaks if their fridges are old; refrigerants are often forgotten and can be surprisingly large.",
        ],
    },
    ProjectTexts {
        title: "Research grant opportunities for climate non-profits",
        criteria: "- At least 25 open or upcoming grants that fit Greenway's size and work\n- Each with funder, amount, deadline, eligibility and a link\n- A fit score with the reason for it\n- A top-five note with what each application would need",
        approaches: &[
            "I'd search foundation databases, state climate programmes and corporate giving pages, record each grant with its deadline and eligibility, and score fit against your budget size and work with small businesses.",
            "My plan is to build the pipeline sheet so it stays useful after I'm done: deadline-sorted, with a fit score and the documents each funder asks for.",
            "I'd look beyond climate funders to economic development and small-business grants, since Greenway's work fits those too and they're less crowded.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Make a 60-second explainer video from our footage",
        criteria: "- A 60-second vertical video (1080 × 1920) that explains what Greenway does\n- Burnt-in captions, checked word for word\n- Music licensed for reuse on social media\n- A 15-second cut-down that works without sound",
        approaches: &[
            "I'd watch all the footage first and log the best moments, write a 60-second script around one business owner's story, then cut, caption and mix so it works with sound off.",
            "My plan: a rough cut in two days for your comments, then captions, colour and music. Vertical edits need reframing shot by shot, so I'd do that by hand rather than auto-crop.",
            "I'd build the video around the first three seconds, since most people decide there whether to keep watching, then cut the 15-second version from the strongest moments.",
        ],
        answers: &[
            "A 45-second reel for a street-food stall near my home: https://portfolio.example/{me}/stall-reel. It got 80,000 views.",
            "A two-minute documentary short on a community garden, which I shot and edited: https://portfolio.example/{me}/garden.",
            "A product explainer I edited for a student start-up: https://portfolio.example/{me}/explainer.",
        ],
    },
    ProjectTexts {
        title: "Build a three-statement model for a freelancer cash-flow product",
        criteria: "- Income statement, balance sheet and cash-flow statement linked, monthly for 36 months\n- The balance sheet balances in every month of every scenario\n- Base, upside and downside scenarios switchable from one cell\n- Every assumption on one tab with its source or rationale",
        approaches: &[
            "I'd start with the revenue drivers that matter for your product (users, conversion to paid, churn), build the three statements monthly with checks on every tab, and keep assumptions in one place.",
            "My plan: a driver-based model where each scenario is one column of assumptions, with a balance check that turns red the moment anything breaks.",
            "I'd build it the way a lender would read it: cash first. The question for a cash-flow product is how long the runway is under each scenario.",
            "I'd model freelancers' late payments as a driver in their own right (days sales outstanding by segment), since that is both your customers' problem and your own working-capital risk.",
        ],
        answers: &[
            "That retained earnings on the balance sheet pick up net income from the income statement, and that the cash at the bottom of the cash-flow statement is the cash on the balance sheet. Most breaks are one of those two links.",
            "I'd look at the first month where it stops balancing and compare the change in the difference with each line's movement; an unlinked working-capital item or a sign error usually jumps out.",
            "Whether the cash-flow statement picks up every balance sheet change, especially working capital and new debt. I add a check row per month so the first break is obvious.",
            "The opening balance sheet. If month one doesn't balance, nothing later will, and it's usually a hard-coded opening figure that should be linked.",
        ],
    },
    ProjectTexts {
        title: "Interview 8 freelancers about late payments",
        criteria: "- Eight interviews with freelancers who match the screener, at least four not Atlas users\n- Notes written up within a day of each interview, with consent recorded\n- An affinity map built from the notes\n- A findings report with quotes, separating what people do from what they say",
        approaches: &[
            "I'd recruit through freelancer communities rather than your user list, so you hear from people who haven't chosen Atlas, and ask about the last late invoice in detail instead of opinions in general.",
            "My plan: a discussion guide built around one story (the last time a client paid late), eight 40-minute calls, notes the same day, then an affinity map to find the patterns.",
            "I'd pick a mix of freelancers by field and income, since a designer paid by agencies and a tutor paid by parents face very different late payments.",
        ],
        answers: &[
            "Freelancer subreddits and Discord servers for designers, writers and developers, with a short screener and a gift card. I'd screen out anyone already using Atlas.",
            "Through communities where freelancers ask for help, like Facebook groups and co-working spaces, plus asking each person I interview to suggest one more.",
            "Upwork and Fiverr profiles in a few fields, contacted politely with a clear reason and an incentive, and LinkedIn for the more senior freelancers.",
        ],
    },
    ProjectTexts {
        title: "Write a QA test plan for our mobile app release",
        criteria: "- The plan covers every feature in the release notes, with priority per area\n- Test cases with steps and expected results, on iOS and Android\n- One full run on the release candidate with results recorded\n- Bugs reported with steps, device and build, and severity",
        approaches: &[
            "I'd read the release notes and work out where the risk is (payments and sign-in first), write cases for those in depth, then lighter checks for the rest, and run the plan on one iPhone and one Android.",
            "My plan: a plan organised by user journey rather than by screen, so it catches what breaks between features, plus a short regression list you can reuse every release.",
            "I'd write the cases so someone who's never seen the app can run them, then run them myself on the release candidate and file the bugs.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Build a lead list of 200 co-working spaces",
        criteria: "- 200 co-working spaces in the agreed US cities, none duplicated\n- Each with address, website, a named contact where public, size and price band\n- A score from the agreed method, with the method written down\n- Every lead checked as open in the last three months",
        approaches: &[
            "I'd agree the scoring with you first (size, freelancer share, events), then build the list city by city from maps, directories and each space's own site, checking each is still open.",
            "My plan is to use the spaces' own member pages and events to judge how many freelancers use them, since that's your buyer, and to record a named contact wherever one is public.",
            "I'd build the list in your CRM's import format from the start, with a source link for every row so your sales team can check it.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Photograph-free Instagram content plan for our knitwear",
        criteria: "- 15 posts over three weeks using illustration, type, texture and video, without product photography\n- Captions in Thistle & Thread's voice, each with alt text\n- A story series outline with frame-by-frame notes\n- Hashtags researched, not generic",
        approaches: &[
            "I'd lean on what's special about your knitwear without photos: close-up textures filmed on a phone, the wool's journey from the farm, patterns drawn as illustrations, and customers' own stories.",
            "My plan: three content pillars (craft, place, people), 15 posts across them, and a story series taking followers through one jumper being made.",
            "I'd plan the grid so it looks good as a whole, then write captions that sound like the makers, not an advert.",
        ],
        answers: &[
            "Toast: calm, consistent, and they sell the feeling of wearing the clothes as much as the clothes.",
            "Sheep Inc: they made the story of where wool comes from interesting, and they post far more about the sheep than the product.",
            "Hebridean knitwear brands like Harris Tweed Hebrides show that place and craft sell on their own; the product almost comes second.",
        ],
    },
    ProjectTexts {
        title: "Survey our customers about sizing",
        criteria: "- A questionnaire of at most 12 questions, tested on three customers before sending\n- At least 150 responses analysed, with the response rate stated\n- Results broken down by garment and usual size\n- Recommendations for the size guide tied to the results",
        approaches: &[
            "I'd keep the survey short (most people quit after ten questions), ask about a specific garment they bought and how it fitted, and test it on three customers before sending it to everyone.",
            "My plan: survey customers who bought in the last year, analyse fit by garment and usual size, and turn it into concrete changes to the size guide.",
            "I'd pair the survey with your returns data, since returns for fit tell you what people did, and the survey tells you why.",
            "I'd ask for measurements people can take at home (chest, length of a favourite jumper) rather than only 'did it fit?', so the size guide can be corrected in centimetres, not guesses.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Design a lookbook for our winter collection",
        criteria: "- 16 pages in the brand's typefaces and colours, laid out on one grid\n- Every garment with name, colourway and price, checked against the line sheet\n- Print PDF with bleed; web images under 300 KB each\n- Figma source with styles and components named",
        approaches: &[
            "I'd plan the 16 pages as a walk through the collection, pairing pieces as they'd be worn, with lots of white space and type small enough to let the knitwear lead.",
            "My plan is a grid and type system first, two spreads for your feedback, then the full book, with web images exported and named as your shop needs them.",
            "I'd start from the photos you have, group them into stories, and design the layout around the strongest images rather than forcing them into a template.",
        ],
        answers: &[
            "A lookbook for a friend's jewellery label: https://portfolio.example/{me}/lookbook.",
            "My final-year editorial project, a 24-page magazine on Indian handlooms: https://portfolio.example/{me}/handloom.",
            "A zine and catalogue for an illustration collective: https://portfolio.example/{me}/collective.",
        ],
    },
    ProjectTexts {
        title: "Test our GCSE revision app with 6 students",
        criteria: "- Six sessions with Year 10 or 11 students, with parental consent and safeguarding followed\n- Every session follows the agreed script, notes written the same day\n- Issues ranked by severity, each with how many students hit it\n- Three design recommendations tied to the issues",
        approaches: &[
            "I'd keep the sessions short and relaxed, ask students to revise a topic they actually have coming up, and watch where they hesitate rather than asking what they think.",
            "My plan: a script around three real tasks, six 30-minute sessions, notes the same day, and a ranked list of issues with the number of students who ran into each.",
            "I'd make sure a teacher or parent is present or nearby for every session, and design the tasks so students never feel they're the ones being tested.",
        ],
        answers: &[
            "Tell them at the start that we're testing the app, not them, and that if something is confusing that's the app's fault. Then give them an easy first task so they get a win early.",
            "Chat first about something they like, let them hold the phone the way they normally would, and never correct them. A relaxed student shows you far more.",
            "Keep it short and give them control: they can skip a task or stop at any time, and I say so. Thanking them for the difficult moments helps too.",
        ],
    },
    ProjectTexts {
        title: "Write 30 chemistry quiz questions with explanations",
        criteria: "- 30 questions in Lumen's template, mapped to the AQA and Edexcel specification topics\n- Each with one correct answer, plausible distractors, and an explanation of why each distractor is wrong\n- Checked for accuracy by a second reader\n- Reading level suitable for Year 10",
        approaches: &[
            "I'd map the 30 questions to the spec first so the topics are balanced, then write distractors from the mistakes students actually make, so each wrong answer teaches something.",
            "My plan: draft five questions for your feedback on style and difficulty, then the remaining 25, each explanation covering why the right answer is right and the common wrong one is wrong.",
            "I'd write at Year 10 reading level and check each question with a student I tutor, since a question that confuses by its wording isn't testing chemistry.",
        ],
        answers: &[
            "Which change makes magnesium react faster with hydrochloric acid? A) Use a larger piece of magnesium B) Use more dilute acid C) Use magnesium powder D) Cool the acid. Answer C: more surface area means more collisions per second.",
            "Doubling the concentration of an acid roughly doubles the rate of reaction with marble chips. Why? Answer: twice as many acid particles in the same volume, so collisions happen twice as often.",
            "Why does a catalyst speed up a reaction? A) It gives particles more energy B) It provides a route with lower activation energy C) It increases the temperature. Answer B.",
        ],
    },
    ProjectTexts {
        title: "Analyse app engagement data for our school pilots",
        criteria: "- Engagement measured per school and per week, with the definition of an active student stated\n- Results checked for bias from test accounts, teachers and duplicate logins\n- The notebook runs from the raw export to every chart\n- A deck of at most ten slides with findings for the schools",
        approaches: &[
            "I'd start by cleaning out teachers, test accounts and duplicate devices, define engagement in terms of revision done (not just logins), then compare schools week by week.",
            "My plan: a reproducible notebook from the raw export to every chart, and a short deck for the schools that says what differs between the most and least engaged classes.",
            "I'd look at engagement around exam dates and homework deadlines, since school calendars explain a lot of the ups and downs.",
        ],
        answers: &[
            "That it measures what we care about: a login isn't revision. I'd also check it's not inflated by teachers testing the app or one student on two devices.",
            "How it's counted (events can double-fire), who is in the denominator, and whether it moves with things we know happened, like school holidays.",
            "That it predicts something useful, such as quiz scores, and that it's stable when I define it slightly differently. If a small change flips the result, I wouldn't trust it.",
        ],
    },
    ProjectTexts {
        title: "Build a small Rust command-line tool to import question banks",
        criteria: "- Imports CSV and the agreed JSON format into Lumen's question schema\n- Rejects bad rows with the line number and a clear message, never panics\n- Tests cover valid files, each kind of bad row and a 10,000-question file\n- README with installation, usage and examples",
        approaches: &[
            "I'd model the question schema as Rust types with serde, parse each row into them with errors that name the line and field, and write tests for every kind of bad input before the happy path.",
            "My plan: clap for the interface, serde and csv for parsing, a dry-run mode that reports every problem without importing, and an integration test on a generated 10,000-question file.",
            "I'd keep it small: one binary, no unsafe, clear errors, and a README that gets a teacher from download to first import in five minutes.",
        ],
        answers: &[
            "https://git.example/{me}/timetable-cli is a Rust CLI that turns my university's timetable export into calendar files, with tests.",
            "https://git.example/{me}/expense-splitter, a small web app in JavaScript with a Node API and tests. My Rust so far is the Rustlings exercises.",
            "https://git.example/{me}/recipe-box, a full-stack app with a Postgres backend. I've been learning Rust and built a CSV validator as practice.",
        ],
    },
    ProjectTexts {
        title: "Analyse warehouse pick-rate data",
        criteria: "- Six months of pick data cleaned, with removed records explained\n- Pick rates compared by shift, zone and order profile\n- At least one finding tested against a plausible alternative explanation\n- A memo with three recommendations and their expected effect",
        approaches: &[
            "I'd clean the data first (breaks, system downtime and partial shifts distort pick rates), then compare by zone, shift and order mix, since a slow zone often just has awkward orders.",
            "My plan: a short analysis of what drives pick rate, tested properly, and a memo with recommendations the shift managers can try within a month.",
            "Before trusting the numbers I'd walk the floor or talk to a team leader, since a system timestamp doesn't show a picker waiting for a forklift.",
            "I'd model pick rate against lines per order, zone and hour with a simple regression, so the memo can say how much of the gap between shifts is the work itself and how much is something to fix.",
        ],
        answers: &[
            "The order profile (single-line versus multi-line orders), the zone's layout and travel distance, and the shift. Only after those would I look at individual pickers.",
            "Travel distance per pick, because it usually dominates, then how often pickers wait for stock to be replenished.",
            "Time of day and the mix of orders, then whether new starters are concentrated on certain shifts, which would explain a lot without anyone working slower.",
            "Where the slow picks happen on the floor. If they cluster around a few aisles, slotting fast-moving items closer to dispatch may help more than any change to shifts.",
        ],
    },
    ProjectTexts {
        title: "Draft a hybrid-working policy summary for staff",
        criteria: "- A two-page guide that matches the full policy on every point\n- Plain English: a reading age of about 12, checked\n- A 15-question FAQ drawn from questions staff have actually asked\n- Reviewed by HR with changes made",
        approaches: &[
            "I'd read the full policy and the questions HR already gets, then write a two-page guide in plain English and an FAQ that answers the real questions first.",
            "My plan is to test the draft on two or three staff who weren't involved, since what confuses them shows where the guide needs work.",
            "I'd make sure the guide and the policy never disagree, with a reference to the policy section beside each point.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Benchmark last-mile delivery providers in the North West",
        criteria: "- At least eight providers compared on the agreed criteria\n- Prices from published rates or quotes, dated\n- Service levels backed by evidence such as published on-time figures or reviews\n- A recommendation deck with a clear first and second choice",
        approaches: &[
            "I'd agree the criteria and their weights with you first, gather rates and service evidence for each provider, and score them in a matrix you can re-weight yourself.",
            "My plan: a comparison matrix with sources, then a short deck recommending two providers and explaining the trade-offs.",
            "I'd talk to two or three small businesses that use these providers, since reviews only tell part of the story.",
        ],
        answers: &[
            "Reliability (on-time and first-attempt delivery) above all, then cost per parcel, coverage, and how they handle failed deliveries and returns.",
            "For a freight company: capacity at peak, integration with your systems, and the cost of failures, not just the headline price.",
            "Price matters, but the cost of a failed delivery usually matters more: redelivery, customer service time and lost customers.",
        ],
    },
    ProjectTexts {
        title: "Redesign our driver-recruitment job adverts",
        criteria: "- Five adverts rewritten with pay, hours and requirements in the first lines\n- Inclusive language checked; no requirement that isn't needed for the job\n- Each advert fits the main job boards' limits\n- Channel suggestions with the reason for each",
        approaches: &[
            "I'd put what drivers care about first (pay, shifts, home time, the vehicle) and cut the corporate language, then check every requirement is really needed.",
            "My plan: look at which adverts performed best, rewrite all five, and suggest channels where drivers actually look, like specialist boards and local groups.",
            "I'd talk to a driver or two if possible, so the adverts answer their real questions.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Write SEO articles on customer analytics for small brands",
        criteria: "- Three articles of 1,100 to 1,300 words, each targeting an agreed keyword\n- Original examples relevant to small Indian brands\n- Every statistic sourced\n- Keyword notes with search volume and intent for each article",
        approaches: &[
            "I'd research keywords with real intent from small-brand owners, then write each article to answer one question completely, with examples they'd recognise.",
            "My plan: keyword notes first, then outlines for your approval, then three articles with sources and internal links.",
            "I'd write as someone who has done the analysis, with simple steps a founder can follow, rather than generic advice.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Build a CRM lead list of 150 kirana wholesalers",
        criteria: "- 150 wholesalers in the agreed cities, none duplicated\n- Each with contact details, the categories they stock and the source\n- Qualification notes with the agreed criteria\n- An import file that loads into the CRM without errors",
        approaches: &[
            "I'd build the list from trade directories, IndiaMART and local associations, qualify each wholesaler on size and categories, and format it for your CRM from the start.",
            "My plan: 150 leads in the import format, each with a source and a qualification note, and a phone check for a sample to confirm the numbers work.",
            "I'd focus on wholesalers who already supply shops similar to your users, since they'll understand the product fastest.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Budget template for our learning centres",
        criteria: "- A template covering income and expenses for one centre for a year\n- Formulas protected; inputs clearly marked\n- A guidance sheet in plain language\n- Tested with two centre coordinators, their feedback addressed",
        approaches: &[
            "I'd keep it simple enough for a coordinator to fill in in an hour: monthly columns, clear input cells, and totals that can't be overwritten by mistake.",
            "My plan: a draft template, two test sessions with coordinators, then a final version and a guidance sheet that answers what came up.",
            "I'd build it in Google Sheets so it works on any device and can be shared with head office.",
            "I'd start from last year's actual spending at one centre, so the categories match what coordinators really pay for (rent, snacks, tutors' travel), then turn it into the template.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Requirements for a clinic scheduling integration",
        criteria: "- Interviews with at least four clinic staff\n- User stories with acceptance criteria for each part of the integration\n- Open questions listed with who can answer them\n- Reviewed with the engineering lead",
        approaches: &[
            "I'd interview front-desk staff and clinicians about how scheduling works today, then write user stories with acceptance criteria that engineers can build and test against.",
            "My plan: interviews, a draft of user stories, a review with engineering, then a final list with the open questions clearly marked.",
            "I'd focus on edge cases (cancellations, double bookings, time zones) since that's where integrations break.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Create LinkedIn content on small-business climate action",
        criteria: "- 12 posts with a source for every claim\n- Each post under 1,300 characters, in Greenway's voice\n- A posting schedule over six weeks\n- At least three posts featuring a real small business, with permission",
        approaches: &[
            "I'd mix practical tips, short case studies of small businesses and a few numbers, each post with one clear takeaway.",
            "My plan: a schedule over six weeks, then 12 posts drafted and sourced, with three built around businesses Greenway has worked with.",
            "I'd write for a small-business owner scrolling on their phone: a strong first line, plain language, one idea.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Set up a simple stock-tracking sheet for our studio",
        criteria: "- A tracker with every yarn and finished product in stock\n- Stock levels update from a simple in/out log\n- Low-stock alerts at the levels agreed\n- A one-page how-to the studio team can follow",
        approaches: &[
            "I'd make it work with how the studio already works: a simple log of what comes in and goes out, and a summary that shows what's low.",
            "My plan: a draft sheet, a session with the team to try it, and a final version with a one-page how-to.",
            "I'd keep it in Google Sheets with a form for logging, so people can add stock from their phones.",
        ],
        answers: &[],
    },
    ProjectTexts {
        title: "Brand refresh for our coffee subscription boxes",
        criteria: "- Two concept directions presented with mock-ups on the box\n- The chosen direction developed into final artwork\n- Print-ready files to the printer's specifications\n- Colour and type choices documented in a one-page guide",
        approaches: &[
            "I'd start from what makes Fernhill different (the roasting, the origins) and develop two directions: one bolder, one more refined, each mocked up on the actual box.",
            "My plan: two concepts, a round of feedback, then final artwork and print-ready files checked with your printer.",
            "I'd look at how the box appears in customers' photos on social media, since that's where the packaging does its marketing.",
        ],
        answers: &[
            "Packaging for a small tea brand: https://portfolio.example/{me}/tea.",
            "A brand identity for a local bakery: https://portfolio.example/{me}/bakery.",
            "A student brand project for a kombucha start-up: https://portfolio.example/{me}/kombucha.",
        ],
    },
];

/// A student's own words: the bio on their profile, and the evidence they
/// put under every pitch. Matched by `Student::email_local`.
pub struct StudentTexts {
    pub email_local: &'static str,
    pub bio: &'static str,
    pub evidence: &'static str,
}

pub fn student(email_local: &str) -> Option<&'static StudentTexts> {
    STUDENT_TEXTS.iter().find(|s| s.email_local == email_local)
}

pub const STUDENT_TEXTS: &[StudentTexts] = &[
    StudentTexts {
        email_local: "asha.rao",
        bio: "Third-year economics student at DIT. I like the part of research most people skip: cleaning survey data until it can be trusted. I run the data desk of our college's consumer club.",
        evidence: "Last semester I coded 1,200 open-ended answers from our campus food survey and presented the themes to the mess committee; two of the changes they made came straight from it.",
    },
    StudentTexts {
        email_local: "karan.mehta",
        bio: "Final-year CS student who builds small web apps for local businesses. I care about apps that work on cheap phones and slow networks.",
        evidence: "I built the ordering site for my uncle's bakery (vanilla JS and a small Node API) and tested it on four family phones before launch; it has taken about 900 orders.",
    },
    StudentTexts {
        email_local: "divya.k",
        bio: "Management student who runs the Instagram account of a Chennai bookshop as a side gig. I write captions people actually read.",
        evidence: "I grew the bookshop's Instagram from 1,800 to 6,500 followers in eight months with a weekly staff-picks series and reels made on my phone.",
    },
    StudentTexts {
        email_local: "arjun.singh",
        bio: "Commerce student with a finance minor. I build models in Excel for fun and help my family's shop with its GST filings.",
        evidence: "For a case competition I built a three-year model for a cloud-kitchen chain; our team placed second of 40, and the judges singled out the scenario tab.",
    },
    StudentTexts {
        email_local: "sneha.patil",
        bio: "Second-year communication design student. Grids, type and print are my favourite things; I've designed for college events, NGOs and a friend's label.",
        evidence: "I designed the 16-page annual report for my college's NSS unit, from flat plan to the printer, within a ₹15,000 print budget.",
    },
    StudentTexts {
        email_local: "rahul.verma",
        bio: "MSc statistics student who wants to work on public health data. Most of my work is in R: cleaning, modelling and charts people can read.",
        evidence: "My dissertation cleans and analyses five years of district-level dengue data; along the way I reconciled three government sources that disagreed by up to 20%.",
    },
    StudentTexts {
        email_local: "meghna.das",
        bio: "Sociology postgraduate. I've interviewed patients, street vendors and teachers for research projects, and I'm good at making people comfortable talking.",
        evidence: "For my MA fieldwork I ran 22 semi-structured interviews with community health workers and wrote up the findings for the NGO that hosted me.",
    },
    StudentTexts {
        email_local: "nikhil.joshi",
        bio: "Industrial engineering student. I map processes wherever I go: mess queues, exam registration, my internship's purchase orders.",
        evidence: "During my internship at a textile unit I mapped the purchase-request process and cut a two-day approval to same-day by removing one sign-off that was always given.",
    },
    StudentTexts {
        email_local: "pooja.reddy",
        bio: "English literature student who writes for the web: blog posts, product pages, how-to guides. I edit my own work hard.",
        evidence: "I write for my university's health society blog; my guide to reading nutrition labels has been its most shared post two years running.",
    },
    StudentTexts {
        email_local: "imran.q",
        bio: "Data science student. I enjoy SQL puzzles, and I like turning a messy export into a table someone can trust.",
        evidence: "I built a Tableau dashboard of Indian rail punctuality from three messy government CSVs; cleaning them took longer than the dashboard, as it should.",
    },
    StudentTexts {
        email_local: "tanvi.shah",
        bio: "MBA student focusing on sustainability strategy, after two years as an analyst at a consumer goods distributor.",
        evidence: "My MBA project benchmarked the BRSR disclosures of six listed companies for a sustainability consultancy; they now use my comparison template with clients.",
    },
    StudentTexts {
        email_local: "aditya.kumar",
        bio: "Mass communication student who edits videos for local businesses and runs a small YouTube channel about Jaipur's food.",
        evidence: "I edit reels for three local businesses; my best one, for a street-food stall, reached 80,000 views and doubled their weekend queue.",
    },
    StudentTexts {
        email_local: "e.clarke",
        bio: "Psychology student interested in how people actually use technology, as opposed to how designers think they do.",
        evidence: "For my dissertation I ran 15 think-aloud sessions on a banking app with participants over 65 and reported the findings to the app's product team.",
    },
    StudentTexts {
        email_local: "j.oconnor",
        bio: "Economics student who enjoys making spreadsheets other people can follow. Captain of the university's economics challenge team.",
        evidence: "I built the market-sizing model for our team's entry to a national economics challenge, with every assumption sourced; we reached the final.",
    },
    StudentTexts {
        email_local: "p.bose",
        bio: "Geography student working on carbon accounting for small organisations. I volunteer with a Bristol community energy group.",
        evidence: "I estimated the carbon footprint of my students' union's cafés using DEFRA factors and their supplier invoices; food purchases were 70% of the total.",
    },
    StudentTexts {
        email_local: "l.evans",
        bio: "Fashion marketing student with a camera always in my bag. I love brands with a story of place and craft.",
        evidence: "I run social media for a small Edinburgh vintage shop; a story series on the history of its pieces doubled its weekly reach.",
    },
    StudentTexts {
        email_local: "m.ali",
        bio: "Software engineering student who writes tests first. Rust and TypeScript mostly; I've contributed small fixes to two open-source projects.",
        evidence: "I wrote a Rust CLI that turns my university's timetable export into calendar files; it has 40 users on my course and a test for every bug they reported.",
    },
    StudentTexts {
        email_local: "h.wright",
        bio: "Business management student interested in HR, particularly how companies write about jobs and policies.",
        evidence: "As HR rep of my students' union I rewrote its volunteer handbook in plain English; questions to the committee dropped noticeably the next term.",
    },
    StudentTexts {
        email_local: "g.thompson",
        bio: "Accounting and finance student. I do the budgets for two student societies and enjoy making them simple for non-accountants.",
        evidence: "I built a budget template for my university's societies federation; 30 societies now use it and the treasurers' training takes half the time.",
    },
    StudentTexts {
        email_local: "c.martin",
        bio: "Graphic design student in Glasgow who loves type, print and small brands with a strong story.",
        evidence: "I designed a two-colour zine for a Glasgow food bank and a lookbook for a friend's jewellery label; both are in my portfolio.",
    },
    StudentTexts {
        email_local: "d.kim",
        bio: "Maths student who likes turning data into stories, mostly in Python. Previously a teaching assistant for our intro statistics course.",
        evidence: "I analysed two years of my halls' energy meter data in Python and presented the findings to the accommodation office, which changed its heating schedule.",
    },
    StudentTexts {
        email_local: "s.novak",
        bio: "International business student; I speak English, Czech, German and Spanish and enjoy research that crosses markets.",
        evidence: "For a module project I built a lead list of 120 European craft breweries for a bottling start-up, qualified by size and export activity.",
    },
    StudentTexts {
        email_local: "maya.johnson",
        bio: "Eight years as a middle-school teacher, now moving into UX research. Watching people struggle with tools without stepping in is most of what a teacher does.",
        evidence: "I completed a UX research certificate with a capstone of eight usability tests on my school district's parent portal; three of my fixes have shipped.",
    },
    StudentTexts {
        email_local: "carlos.mendes",
        bio: "Recent marketing analytics graduate. I write about marketing data for small businesses and like email campaigns with measurable results.",
        evidence: "I ran email campaigns for my university's alumni office; my rewrite of their monthly newsletter raised clicks from 2.1% to 3.4% over a semester.",
    },
    StudentTexts {
        email_local: "ava.robinson",
        bio: "Full-stack bootcamp graduate, previously a barista and shift lead. I build web and mobile apps with React, Node and Postgres.",
        evidence: "My bootcamp capstone, a recipe-sharing app with a Postgres backend and end-to-end tests, is live and used by 60 people from my old café.",
    },
    StudentTexts {
        email_local: "noah.patel",
        bio: "Eight years managing retail stores, now moving into operations analytics. I've scheduled staff through more holiday seasons than I can count.",
        evidence: "As a store manager I built the staffing spreadsheet our district used for three holiday seasons; it cut overtime by about 15% without longer queues.",
    },
    StudentTexts {
        email_local: "grace.liu",
        bio: "Environmental science graduate working on practical carbon accounting and climate research for community groups.",
        evidence: "I measured the footprint of a community garden network for my capstone and filmed a short documentary about it that the network now uses for fundraising.",
    },
    StudentTexts {
        email_local: "ethan.brooks",
        bio: "Finance graduate who builds three-statement models. I like models that a lender can read in ten minutes.",
        evidence: "I built a 36-month three-statement model for a friend's coffee cart to support a small-business loan application; the loan was approved.",
    },
    StudentTexts {
        email_local: "zara.ahmed",
        bio: "Former local journalist moving into content strategy. I write clearly, check every fact and meet deadlines.",
        evidence: "Six years of reporting, including a long read on rural clinics keeping prenatal care going during the pandemic, built on twelve interviews.",
    },
    StudentTexts {
        email_local: "ishaan.gupta",
        bio: "Mechanical engineering graduate exploring product roles. I enjoy writing requirements and testing what gets built against them.",
        evidence: "In my final-year project I wrote the requirements and test plan for a machine-monitoring app used by two workshops on campus.",
    },
    StudentTexts {
        email_local: "riya.kapoor",
        bio: "Commerce graduate doing sales research. I'm good at finding the right person to talk to in a company and keeping a CRM tidy.",
        evidence: "For a Noida SaaS start-up I built a qualified list of 180 distributors in their CRM; 22 took a demo within the first month.",
    },
    StudentTexts {
        email_local: "olivia.turner",
        bio: "Illustrator from Portland. I draw icons, maps and packaging for small brands, mostly outdoors and food.",
        evidence: "I illustrated a national parks poster series and the packaging for a small tea brand; both are in my portfolio, with the sketches that led to them.",
    },
];

/// What an employer says when declining an application, in turn.
pub const REJECTION_NOTES: &[&str] = &[
    "Thank you for a thoughtful pitch. We chose someone who has done this exact kind of work before; please apply to our next project.",
    "We had many strong applications and went with someone available for more hours a week. Your answer to our question was one of the best.",
    "We are looking for more experience with the main tool for this one. Your pitch was clear; I'd be glad to see you apply again.",
];

/// How the work on a hired project goes: the first question in the
/// workspace and its answer, a draft, the employer's revision request, the
/// final version, both reviews, the outcomes the student claims and the
/// employer confirms, and the reason if the employer cancels.
pub struct Delivery {
    pub title: &'static str,
    /// Who is hired (`Student::email_local`), and how far the work got.
    pub student: &'static str,
    pub reached: Stage,
    pub question: &'static str,
    pub reply: &'static str,
    pub draft: &'static str,
    /// A file handed in with the draft: name and contents.
    pub attachment: Option<(&'static str, &'static str)>,
    pub link: &'static str,
    pub revision: &'static str,
    pub last: &'static str,
    pub employer_review: &'static str,
    pub recommendation: &'static str,
    pub student_review: &'static str,
    pub outcomes: &'static str,
    pub cancel: &'static str,
}

/// How far a demo engagement has got; together they show every state.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Stage {
    InProgress,
    Submitted,
    RevisionRequested,
    /// Paid, both reviews written, outcomes confirmed, portfolio public.
    Reviewed,
    Paid,
    Cancelled,
}

pub const DELIVERIES: &[Delivery] = &[
    Delivery {
        title: "Market sizing for a ready-to-cook breakfast range",
        student: "j.oconnor",
        reached: Stage::Paid,
        question: "Hello Vikram, should the market include frozen parathas, or only dry mixes like upma and poha?",
        reply: "Only dry mixes and instant batters: frozen is a different supply chain for us. Please note the frozen market in one line so we know its size.",
        draft: "Draft model and deck attached. Top-down gives ₹2,150 crore for 2026 and bottom-up ₹1,780 crore; slide 4 explains most of the gap (rural purchases in the top-down data).",
        attachment: Some((
            "breakfast-sizing-inputs.csv",
            "input,value,low,high,source\nurban households (million),118,114,122,Census projection 2026\nshare buying ready-to-cook breakfast,0.14,0.10,0.18,retail panel 2025\npurchases per month,2.1,1.6,2.6,pilot survey (n=212)\naverage pack price (INR),62,55,70,store audit\n",
        )),
        link: "https://docs.example/meridian/breakfast-market-model",
        revision: "Strong work. Our board will ask about 2030: please add a growth scenario with the assumptions stated, and show which input moves the answer most.",
        last: "Final version: 2030 scenarios added (₹3,400–4,600 crore), with a tornado chart showing the share of households buying as the input that matters most.",
        employer_review: "Clear model, every input sourced or flagged as an assumption, and a deck our brand team could present as it was.",
        recommendation: "Would hire again for any market sizing work.",
        student_review: "Vikram gave precise answers and fast feedback, and the brief was exactly what the work turned out to be.",
        outcomes: "2 sizing methods built and reconciled\n14 inputs sourced with ranges\n3 scenarios to 2030 presented to the brand team",
        cancel: "The category review has been moved to next quarter, so we are cancelling this project. Sorry for the change of plan; the deposit is settled according to Stint's rules.",
    },
    Delivery {
        title: "Estimate the carbon footprint of 10 small restaurants",
        student: "rahul.verma",
        reached: Stage::Submitted,
        question: "Hi Sofia, two restaurants only have six months of gas bills. Shall I scale those up, or mark the other months as gaps?",
        reply: "Scale them using the other restaurants' seasonal pattern and flag them clearly as estimates. The owners will want to see the method.",
        draft: "All ten workbooks are done and the summary is attached. Food purchases are 58–74% of every footprint; two gas figures are scaled estimates, as agreed.",
        attachment: Some((
            "restaurant-footprints.csv",
            "restaurant,covers_per_year,scope_1_t,scope_2_t,food_t,total_t,kg_per_cover\nLa Cocina,41000,18.2,9.1,96.4,123.7,3.0\nGreen Bowl,22000,6.5,5.8,31.2,43.5,2.0\nHarbor Diner,56000,24.9,12.3,151.8,189.0,3.4\nPho 88,30500,12.1,6.7,58.0,76.8,2.5\n",
        )),
        link: "https://docs.example/greenway/restaurant-footprints",
        revision: "Great, thank you. Could the summary add the one change each restaurant could make first, with a rough saving? That's what the owners will ask us.",
        last: "Final version: each restaurant now has its first change and an estimated saving (menu swaps for four, a refrigerant check for two, heating controls for the rest).",
        employer_review: "Careful, honest estimates with every data gap marked. The restaurant owners understood their results on first reading.",
        recommendation: "I'd gladly work with this student again on footprint projects.",
        student_review: "Sofia introduced me to the owners and answered every question on the same day.",
        outcomes: "10 restaurant footprints estimated\n3 emission sources covered for each\n10 first-step savings recommended to owners",
        cancel: "Our funding for this programme was cut, so we have to stop the project. We're very sorry; the payment is settled under Stint's cancellation rules.",
    },
    Delivery {
        title: "Write 30 chemistry quiz questions with explanations",
        student: "pooja.reddy",
        reached: Stage::InProgress,
        question: "Hi Oliver, should explanations say which exam board's specification point each question covers, or just the topic?",
        reply: "Both boards' spec points please, as in the template's last two columns. Teachers search by them.",
        draft: "Here are the first 30 questions with explanations and spec points for AQA and Edexcel. Questions 12 and 27 could be in either of two topics; I chose the closer one.",
        attachment: Some((
            "chemistry-questions-sample.csv",
            "number,question,answer,aqa_spec,edexcel_spec\n1,Which change makes magnesium react faster with hydrochloric acid?,Use magnesium powder,4.6.1.2,CC13\n2,Why does a catalyst speed up a reaction?,It provides a route with lower activation energy,4.6.1.4,CC13\n3,What is the mass of 2 moles of water?,36 g,4.3.2.1,CC5\n",
        )),
        link: "https://docs.example/lumen/chemistry-quiz-batch-1",
        revision: "Lovely work. A few explanations are longer than a phone screen: could you keep each under 60 words, moving detail to a 'more' note?",
        last: "Revised: every explanation is now under 60 words, with the longer reasoning in a separate note field for the 9 questions that needed it.",
        employer_review: "Accurate, well-pitched questions with distractors built on real misconceptions. Our teachers liked them straight away.",
        recommendation: "We'd be glad to commission more questions from this student.",
        student_review: "Oliver's template and feedback were very clear, and the revision request was specific and fair.",
        outcomes: "30 quiz questions written\n60 specification points mapped\n9 extended explanations added",
        cancel: "We've decided to license a question bank for this topic instead, so we're cancelling. Thank you for your time; the deposit is settled under Stint's rules.",
    },
    Delivery {
        title: "Build a CRM lead list of 150 kirana wholesalers",
        student: "riya.kapoor",
        reached: Stage::Cancelled,
        question: "Hi Rohan, should I include wholesalers who mostly supply hotels, or only those selling to shops?",
        reply: "Only those selling to shops, please. If a wholesaler does both, keep them and note the split.",
        draft: "150 wholesalers in the import format, each with a source; I phoned 20 to check the numbers and fixed 3. Qualification notes are in the last column.",
        attachment: Some((
            "kirana-wholesalers-sample.csv",
            "name,city,phone,categories,qualified,source\nShree Balaji Traders,Pune,+91 20 2441 0000,staples;oil,yes,IndiaMART\nKhan Provision Stores,Nagpur,+91 712 256 0000,staples;snacks,yes,trade directory\nGanesh Distributors,Nashik,+91 253 231 0000,personal care,no,association list\n",
        )),
        link: "https://docs.example/chai-and-code/wholesaler-leads",
        revision: "The list imported cleanly, thank you. Could you add the approximate number of shops each wholesaler supplies, where you know it? It helps us prioritise.",
        last: "Updated: shop counts added for 112 of the 150 wholesalers (from calls and listings), marked as approximate.",
        employer_review: "A clean, well-sourced list that imported without a single error. The phone checks were a welcome extra.",
        recommendation: "Would hire again for sales research.",
        student_review: "Rohan was quick to answer and gave me the CRM's import format on day one.",
        outcomes: "150 wholesalers researched and qualified\n20 phone numbers checked by call\n112 shop counts added",
        cancel: "We've paused our expansion to new cities, so this list is no longer needed. Sorry for the change; the deposit is settled under Stint's rules.",
    },
    Delivery {
        title: "Write 4 blog posts on remote patient monitoring",
        student: "zara.ahmed",
        reached: Stage::RevisionRequested,
        question: "Hi Dana, can I name Kestrel's product in the posts, or should they stay educational?",
        reply: "Keep them educational, with one line at the end about Kestrel. Readers trust it more that way.",
        draft: "Drafts of all four posts are linked, about 1,000 words each, with every claim sourced and meta descriptions at the top.",
        attachment: None,
        link: "https://docs.example/kestrel/rpm-blog-drafts",
        revision: "These read well. Post 3 quotes a reimbursement figure from 2023: please update it to this year's CMS numbers and check the billing codes.",
        last: "Post 3 now uses this year's CMS fee schedule (codes 99453, 99454 and 99457 checked); the other posts are unchanged.",
        employer_review: "Clear, well-sourced posts that our clinic customers have already shared. Caught an outdated figure in our own brief.",
        recommendation: "I'd hire this writer again.",
        student_review: "Dana's feedback was precise and quick, and she explained the audience well.",
        outcomes: "4 posts of 1,000 words published\n38 sources cited\n4 meta descriptions written",
        cancel: "Our content plan changed after a product decision, so we're cancelling these posts. Sorry about that; the payment is settled under Stint's rules.",
    },
    Delivery {
        title: "Analyse 500 customer survey responses for a skincare brand",
        student: "asha.rao",
        reached: Stage::Reviewed,
        question: "Hi Priya, the export has 512 responses, 12 of them blank. Shall I drop those and report on 500?",
        reply: "Yes, drop the blanks and say so in a footnote.",
        draft: "First full version: the coded themes are attached, and the summary tables and report are linked below.",
        attachment: Some((
            "coded-themes.csv",
            "theme,responses,share\nDelivery speed,142,28%\nPrice,118,24%\nResults on skin,97,19%\nPackaging,61,12%\nOther,82,17%\n",
        )),
        link: "https://docs.example/brightleaf/skincare-survey-report",
        revision: "Great data. Please add a one-paragraph recommendation at the top of the report for the founders.",
        last: "Final version with the recommendation on page one: fix delivery times in the three slowest cities before changing the price.",
        employer_review: "Asha's coding was careful, with a real consistency check on a blind sample, and the founders read her report in one sitting.",
        recommendation: "I'd gladly hire Asha again for any survey work.",
        student_review: "Priya's brief was clear and she shared the client's goals, which made the themes easier to judge.",
        outcomes: "500 survey responses coded\n11 themes defined in the codebook\n3 recommendations adopted by the client",
        cancel: "The client has withdrawn the project, so we have to cancel. The payment is settled under Stint's rules; thank you for your work so far.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo_data::{PROJECTS, STUDENTS};
    use std::collections::HashSet;

    #[test]
    fn every_project_has_its_own_texts() {
        for p in PROJECTS {
            let t = project(p.title).unwrap_or_else(|| panic!("no texts for '{}'", p.title));
            assert!(!t.criteria.trim().is_empty(), "{}", p.title);
            assert!(t.approaches.len() >= 3, "{}", p.title);
            // A question needs answers; answers without a question are lost.
            assert_eq!(
                p.question.is_empty(),
                t.answers.is_empty(),
                "answers of '{}'",
                p.title
            );
        }
        for t in PROJECT_TEXTS {
            assert!(
                PROJECTS.iter().any(|p| p.title == t.title),
                "texts for an unknown project '{}'",
                t.title
            );
        }
    }

    #[test]
    fn every_student_has_a_bio_and_evidence() {
        for s in STUDENTS {
            let t =
                student(s.email_local).unwrap_or_else(|| panic!("no texts for {}", s.email_local));
            assert!(
                t.bio.len() > 50 && t.evidence.len() > 50,
                "{}",
                s.email_local
            );
        }
    }

    /// "The same message on unrelated projects": no sentence of the
    /// applicants' or the workspaces' texts is used twice.
    #[test]
    fn no_text_is_written_twice() {
        let mut seen = HashSet::new();
        let all = PROJECT_TEXTS
            .iter()
            .flat_map(|p| {
                std::iter::once(p.criteria)
                    .chain(p.approaches.iter().copied())
                    .chain(p.answers.iter().copied())
            })
            .chain(STUDENT_TEXTS.iter().flat_map(|s| [s.bio, s.evidence]))
            .chain(DELIVERIES.iter().flat_map(|d| {
                [
                    d.question,
                    d.reply,
                    d.draft,
                    d.revision,
                    d.last,
                    d.employer_review,
                    d.recommendation,
                    d.student_review,
                    d.outcomes,
                    d.cancel,
                ]
            }));
        for text in all {
            assert!(seen.insert(text), "written twice: {text}");
        }
    }

    /// Each hire is of a student in their own field, and together the
    /// hires show every state of the loop once.
    #[test]
    fn deliveries_fit_their_projects() {
        use Stage::*;
        for stage in [
            InProgress,
            Submitted,
            RevisionRequested,
            Reviewed,
            Paid,
            Cancelled,
        ] {
            assert_eq!(
                DELIVERIES.iter().filter(|d| d.reached == stage).count(),
                1,
                "{stage:?}"
            );
        }
        for d in DELIVERIES {
            let s = STUDENTS
                .iter()
                .find(|s| s.email_local == d.student)
                .unwrap_or_else(|| panic!("no student {}", d.student));
            let p = PROJECTS.iter().find(|p| p.title == d.title);
            assert!(
                p.is_some_and(|p| s.interests.contains(&p.category)),
                "{} works in their own field on '{}'",
                d.student,
                d.title
            );
            for line in d.outcomes.lines() {
                assert!(
                    stint_domain::achievement::Outcome::parse(line).is_ok(),
                    "outcome '{line}' of '{}'",
                    d.title
                );
            }
        }
    }
}
