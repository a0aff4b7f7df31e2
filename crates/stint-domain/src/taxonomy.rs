//! The shared taxonomy of categories and skills. It is small and changes with
//! releases, so it lives in code: every layer and both engines agree on the
//! same slugs without a lookup.

use serde::Serialize;

use crate::FieldError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Category {
    pub slug: &'static str,
    pub name: &'static str,
    /// A starting brief for employers: what to describe, deliverables and
    /// acceptance criteria in the shape that works for this kind of work.
    #[serde(skip)]
    pub template: BriefTemplate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BriefTemplate {
    pub brief: &'static str,
    pub deliverables: &'static str,
    pub acceptance_criteria: &'static str,
}

const fn cat(
    slug: &'static str,
    name: &'static str,
    brief: &'static str,
    deliverables: &'static str,
    acceptance_criteria: &'static str,
) -> Category {
    Category {
        slug,
        name,
        template: BriefTemplate {
            brief,
            deliverables,
            acceptance_criteria,
        },
    }
}

pub const CATEGORIES: &[Category] = &[
    cat(
        "content-writing",
        "Content writing & marketing",
        "Who the content is for, the tone of voice, and what it should make readers do. Link any style guide or examples you like.",
        "- N articles / pages of about M words each\n- Headlines and meta descriptions\n- A short note on sources used",
        "- Follows the brief's audience and tone\n- Original, with sources cited\n- Proof-read; no spelling or grammar errors",
    ),
    cat(
        "social-media",
        "Social media",
        "Which channels, which audience, what the campaign or month is about, and any brand rules.",
        "- N posts with captions and hashtags\n- A posting calendar\n- Image briefs or drafts where needed",
        "- Fits each channel's format limits\n- On brand and on message\n- Calendar covers the agreed dates",
    ),
    cat(
        "graphic-design",
        "Graphic design",
        "What the designs are for, where they will be used, sizes and formats, brand colours and fonts.",
        "- Designs in the agreed sizes\n- Source files (Figma, SVG or similar)\n- Exported PNG/PDF files",
        "- Matches the brand guide\n- Readable at the smallest size\n- Source files open and are organised",
    ),
    cat(
        "market-research",
        "Market research",
        "The market or question to research, the decision it will inform, and what you already know.",
        "- A report of N pages with findings and sources\n- A spreadsheet of the data gathered\n- A one-page summary of recommendations",
        "- Every figure has a cited source\n- Covers the agreed segments or competitors\n- Recommendations follow from the findings",
    ),
    cat(
        "data-entry",
        "Data entry & research",
        "What data to collect or clean, from where, and the format it must end up in.",
        "- A spreadsheet with the agreed columns\n- A short log of sources and decisions",
        "- No duplicates; required columns filled\n- Spot check of 20 rows finds no errors\n- Format matches the template",
    ),
    cat(
        "data-analysis",
        "Data analysis",
        "The question to answer, the data available (size, format, access), and who will read the results.",
        "- Cleaned dataset\n- Analysis notebook or spreadsheet\n- A short report with charts",
        "- Analysis can be re-run from the notebook\n- Charts are labelled and readable\n- Conclusions state their limits",
    ),
    cat(
        "business-analysis",
        "Business analysis & strategy",
        "The business problem, the options on the table, and the constraints (budget, time, market).",
        "- A written analysis or deck\n- A comparison of options\n- A recommendation with next steps",
        "- Options compared on agreed criteria\n- Assumptions stated\n- Recommendation is specific and actionable",
    ),
    cat(
        "finance",
        "Finance",
        "The financial question (model, valuation, budget, reconciliation), the data provided and the format required.",
        "- A spreadsheet model\n- A short memo explaining inputs and results",
        "- Formulas, not pasted values\n- Inputs separated from calculations\n- Ties out to the source figures",
    ),
    cat(
        "user-research",
        "Product testing & user research",
        "The product or feature, who the users are, and what you want to learn.",
        "- Test plan or interview guide\n- Notes from N sessions\n- Findings ranked by severity",
        "- Every planned session completed with the target users\n- Each finding backed by an observation\n- Clear, prioritised recommendations",
    ),
    cat(
        "software",
        "Software",
        "What to build or fix, the stack, how to run the code, and where it will be deployed.",
        "- Code in a branch or pull request\n- Tests for the change\n- A short README or change note",
        "- Builds and tests pass\n- Meets the listed functional requirements\n- Code reviewed and merged or ready to merge",
    ),
    cat(
        "hr",
        "HR & people",
        "The HR task (job descriptions, policy research, onboarding material), the audience and any legal context.",
        "- Documents in the agreed format\n- Sources for any policy or legal statements",
        "- Inclusive, plain language\n- Consistent with the company's policies\n- Reviewed against the checklist provided",
    ),
    cat(
        "sales",
        "Sales",
        "The product, the target customers, and what the sales team needs (leads, scripts, research).",
        "- A lead list or sales material\n- Notes on how leads were qualified",
        "- Leads match the ideal customer profile\n- Contact details verified\n- Material matches the brand voice",
    ),
    cat(
        "operations",
        "Operations",
        "The process to document, improve or run, the tools involved, and who owns it.",
        "- Process map or SOP document\n- Recommendations for improvement",
        "- Steps can be followed by a new team member\n- Owners and tools named for each step",
    ),
    cat(
        "sustainability",
        "Sustainability",
        "The sustainability question (footprint, reporting, sourcing), the data available and the framework to follow.",
        "- Analysis or report\n- Data sheet with sources",
        "- Uses the agreed framework or standard\n- Every figure sourced\n- Clear next steps",
    ),
];

pub fn category(slug: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.slug == slug)
}

pub fn parse_category(raw: &str) -> Result<&'static Category, FieldError> {
    category(raw.trim())
        .ok_or_else(|| FieldError::new("category", "Choose a category from the list."))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Skill {
    pub slug: &'static str,
    pub name: &'static str,
    pub category: &'static str,
}

const fn sk(slug: &'static str, name: &'static str, category: &'static str) -> Skill {
    Skill {
        slug,
        name,
        category,
    }
}

pub const SKILLS: &[Skill] = &[
    sk("copywriting", "Copywriting", "content-writing"),
    sk("seo", "SEO", "content-writing"),
    sk("blogging", "Blog writing", "content-writing"),
    sk("editing", "Editing & proofreading", "content-writing"),
    sk("email-marketing", "Email marketing", "content-writing"),
    sk(
        "social-media-strategy",
        "Social media strategy",
        "social-media",
    ),
    sk("instagram", "Instagram", "social-media"),
    sk("linkedin-content", "LinkedIn content", "social-media"),
    sk("video-editing", "Video editing", "social-media"),
    sk(
        "community-management",
        "Community management",
        "social-media",
    ),
    sk("figma", "Figma", "graphic-design"),
    sk("canva", "Canva", "graphic-design"),
    sk("illustration", "Illustration", "graphic-design"),
    sk("branding", "Branding", "graphic-design"),
    sk(
        "presentation-design",
        "Presentation design",
        "graphic-design",
    ),
    sk("survey-design", "Survey design", "market-research"),
    sk(
        "competitive-analysis",
        "Competitive analysis",
        "market-research",
    ),
    sk("desk-research", "Desk research", "market-research"),
    sk("market-sizing", "Market sizing", "market-research"),
    sk(
        "spreadsheets",
        "Spreadsheets (Excel / Sheets)",
        "data-entry",
    ),
    sk("data-cleaning", "Data cleaning", "data-entry"),
    sk("web-research", "Web research", "data-entry"),
    sk("sql", "SQL", "data-analysis"),
    sk("python", "Python", "data-analysis"),
    sk("r", "R", "data-analysis"),
    sk("statistics", "Statistics", "data-analysis"),
    sk("data-visualization", "Data visualisation", "data-analysis"),
    sk("tableau", "Tableau / Power BI", "data-analysis"),
    sk(
        "business-strategy",
        "Business strategy",
        "business-analysis",
    ),
    sk("process-mapping", "Process mapping", "business-analysis"),
    sk(
        "requirements",
        "Requirements gathering",
        "business-analysis",
    ),
    sk("financial-modeling", "Financial modelling", "finance"),
    sk("accounting", "Accounting", "finance"),
    sk("budgeting", "Budgeting", "finance"),
    sk("usability-testing", "Usability testing", "user-research"),
    sk("user-interviews", "User interviews", "user-research"),
    sk("qa-testing", "QA testing", "user-research"),
    sk("javascript", "JavaScript", "software"),
    sk("web-development", "Web development", "software"),
    sk("rust", "Rust", "software"),
    sk("mobile-development", "Mobile development", "software"),
    sk("recruiting", "Recruiting", "hr"),
    sk("policy-writing", "Policy writing", "hr"),
    sk("lead-generation", "Lead generation", "sales"),
    sk("crm", "CRM (HubSpot / Salesforce)", "sales"),
    sk("operations-planning", "Operations planning", "operations"),
    sk("project-management", "Project management", "operations"),
    sk("esg-reporting", "ESG reporting", "sustainability"),
    sk("carbon-accounting", "Carbon accounting", "sustainability"),
];

pub fn skill(slug: &str) -> Option<&'static Skill> {
    SKILLS.iter().find(|s| s.slug == slug)
}

/// Parses a list of skill slugs: unknown ones are refused by name, duplicates
/// dropped, at most `max` kept.
pub fn parse_skills<'a>(
    field: &'static str,
    raw: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Result<Vec<&'static str>, FieldError> {
    let mut out: Vec<&'static str> = Vec::new();
    for slug in raw.into_iter().map(str::trim).filter(|s| !s.is_empty()) {
        let s = skill(slug).ok_or_else(|| {
            FieldError::new(
                field,
                format!("'{slug}' is not a skill Stint knows; pick from the list."),
            )
        })?;
        if !out.contains(&s.slug) {
            out.push(s.slug);
        }
    }
    if out.len() > max {
        return Err(FieldError::new(
            field,
            format!("Choose at most {max} skills."),
        ));
    }
    Ok(out)
}

pub fn skill_name(slug: &str) -> &str {
    skill(slug).map(|s| s.name).unwrap_or(slug)
}

pub fn category_name(slug: &str) -> &str {
    category(slug).map(|c| c.name).unwrap_or(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_unique_and_skills_belong_to_categories() {
        for (i, c) in CATEGORIES.iter().enumerate() {
            assert!(CATEGORIES[i + 1..].iter().all(|d| d.slug != c.slug));
            assert!(!c.template.deliverables.is_empty());
        }
        for (i, s) in SKILLS.iter().enumerate() {
            assert!(SKILLS[i + 1..].iter().all(|t| t.slug != s.slug));
            assert!(
                category(s.category).is_some(),
                "{} has unknown category",
                s.slug
            );
        }
    }

    #[test]
    fn skills_parse_dedupe_and_cap() {
        assert_eq!(
            parse_skills("s", ["sql", " python ", "sql", ""], 5),
            Ok(vec!["sql", "python"])
        );
        assert!(parse_skills("s", ["sql", "cobol"], 5).is_err());
        assert!(parse_skills("s", ["sql", "python", "r"], 2).is_err());
    }
}
