//! Stint's PDF documents: a student's résumé with their verified work.
//!
//! A small flow layout on printpdf: text is measured with the embedded
//! DejaVu Sans (regular and bold, subset into each file), wrapped to the
//! column, and paged. No I/O; the caller passes what to print.

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Pt, Rgb, TextItem,
};

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");

/// The paper a document is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    A4,
    Letter,
}

impl Paper {
    /// US Letter in the United States and Canada, A4 elsewhere.
    pub fn for_country(country: &str) -> Paper {
        match country {
            "US" | "CA" => Paper::Letter,
            _ => Paper::A4,
        }
    }

    fn size_mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::Letter => (215.9, 279.4),
        }
    }
}

/// One verified project.
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub title: String,
    pub employer: String,
    /// "3 Nov – 20 Nov 2026 · 20 hours"
    pub when: String,
    pub summary: String,
    /// The outcomes the employer confirmed, one line each.
    pub outcomes: Vec<String>,
    /// Where the signed credential can be checked.
    pub credential_url: Option<String>,
    /// The portfolio document only: what the employer asked for, the
    /// skills the work used, and what the employer wrote.
    pub criteria: Vec<String>,
    pub skills: Vec<String>,
    pub recommendation: Option<String>,
}

/// What a résumé says.
#[derive(Debug, Clone, Default)]
pub struct Resume {
    pub name: String,
    pub headline: String,
    /// Email, location, links: one line, joined with " · ".
    pub contact: Vec<String>,
    pub about: String,
    pub education: Vec<String>,
    pub skills: Vec<String>,
    pub projects: Vec<Project>,
    /// The small print at the foot of the first page.
    pub footer: String,
}

struct Face {
    id: FontId,
    font: ParsedFont,
}

impl Face {
    /// Width of `text` at `size`, in points.
    fn width(&self, text: &str, size: f32) -> f32 {
        let upm = f32::from(self.font.units_per_em.max(1));
        let units: u32 = text
            .chars()
            .map(|c| {
                self.font
                    .lookup_glyph_index(c as u32)
                    .and_then(|g| self.font.get_glyph_width(g))
                    .map(u32::from)
                    .unwrap_or(upm as u32 / 2)
            })
            .sum();
        units as f32 * size / upm
    }
}

/// Lays text out top to bottom, starting new pages as needed.
struct Flow {
    width_pt: f32,
    height_pt: f32,
    margin: f32,
    y: f32,
    pages: Vec<Vec<Op>>,
}

const INK: (f32, f32, f32) = (0.11, 0.13, 0.16);
const MUTED: (f32, f32, f32) = (0.33, 0.37, 0.42);
const ACCENT: (f32, f32, f32) = (0.05, 0.42, 0.36);

fn color((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

impl Flow {
    fn new(paper: Paper) -> Flow {
        let (w, h) = paper.size_mm();
        let (w, h) = (Pt::from(Mm(w)).0, Pt::from(Mm(h)).0);
        let margin = Pt::from(Mm(18.0)).0;
        Flow {
            width_pt: w,
            height_pt: h,
            margin,
            y: h - margin,
            pages: vec![Vec::new()],
        }
    }

    fn column(&self) -> f32 {
        self.width_pt - 2.0 * self.margin
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Room for `needed` points, or a new page.
    fn room(&mut self, needed: f32) {
        if self.y - needed < self.margin {
            self.pages.push(Vec::new());
            self.y = self.height_pt - self.margin;
        }
    }

    fn line(&mut self, face: &Face, size: f32, ink: (f32, f32, f32), indent: f32, text: &str) {
        let lead = size * 1.35;
        self.room(lead);
        self.y -= size;
        let (x, y) = (self.margin + indent, self.y);
        let font = face.id.clone();
        self.ops().extend([
            Op::StartTextSection,
            Op::SetFillColor { col: color(ink) },
            Op::SetFont {
                font: PdfFontHandle::External(font),
                size: Pt(size),
            },
            Op::SetTextCursor {
                pos: Point { x: Pt(x), y: Pt(y) },
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_string())],
            },
            Op::EndTextSection,
        ]);
        self.y -= lead - size;
    }

    /// Wraps `text` to the column (less `indent`) and writes it; the first
    /// line may carry a `bullet` hanging in the indent.
    fn paragraph(&mut self, face: &Face, size: f32, ink: (f32, f32, f32), indent: f32, text: &str) {
        for line in wrap(face, size, self.column() - indent, text) {
            self.line(face, size, ink, indent, &line);
        }
    }

    fn gap(&mut self, pt: f32) {
        self.y -= pt;
    }

    fn rule(&mut self) {
        self.room(8.0);
        self.y -= 4.0;
        let (x0, x1, y) = (self.margin, self.width_pt - self.margin, self.y);
        self.ops().extend([
            Op::SetOutlineColor {
                col: color((0.82, 0.85, 0.88)),
            },
            Op::SetOutlineThickness { pt: Pt(0.6) },
            Op::DrawLine {
                line: Line {
                    points: vec![
                        LinePoint {
                            p: Point {
                                x: Pt(x0),
                                y: Pt(y),
                            },
                            bezier: false,
                        },
                        LinePoint {
                            p: Point {
                                x: Pt(x1),
                                y: Pt(y),
                            },
                            bezier: false,
                        },
                    ],
                    is_closed: false,
                },
            },
        ]);
        self.y -= 6.0;
    }
}

/// Greedy word wrap; a word longer than the line (a URL) is cut where it
/// must be.
fn wrap(face: &Face, size: f32, width: f32, text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.lines() {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if face.width(&candidate, size) <= width {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut rest = word.to_string();
            while face.width(&rest, size) > width {
                let mut cut = String::new();
                for c in rest.chars() {
                    if face.width(&format!("{cut}{c}"), size) > width {
                        break;
                    }
                    cut.push(c);
                }
                if cut.is_empty() {
                    break;
                }
                rest = rest[cut.len()..].to_string();
                lines.push(cut);
            }
            line = rest;
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

fn face(doc: &mut PdfDocument, bytes: &[u8]) -> Result<Face, String> {
    let font = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
        .ok_or_else(|| "the embedded font does not parse".to_string())?;
    Ok(Face {
        id: doc.add_font(&font),
        font,
    })
}

/// The résumé as PDF bytes: one or two pages.
pub fn resume(r: &Resume, paper: Paper) -> Result<Vec<u8>, String> {
    render(r, paper, false)
}

/// The portfolio document: every verified project in full (acceptance
/// criteria, skills, outcomes, the employer's recommendation, credential).
pub fn portfolio(r: &Resume, paper: Paper) -> Result<Vec<u8>, String> {
    render(r, paper, true)
}

fn render(r: &Resume, paper: Paper, full: bool) -> Result<Vec<u8>, String> {
    let title = if full { "portfolio" } else { "résumé" };
    let mut doc = PdfDocument::new(&format!("{} — {title}", r.name));
    let regular = face(&mut doc, REGULAR)?;
    let bold = face(&mut doc, BOLD)?;
    let mut f = Flow::new(paper);

    f.paragraph(&bold, 20.0, INK, 0.0, &r.name);
    if !r.headline.is_empty() {
        f.paragraph(&regular, 11.5, MUTED, 0.0, &r.headline);
    }
    if !r.contact.is_empty() {
        f.paragraph(&regular, 9.0, MUTED, 0.0, &r.contact.join("  ·  "));
    }
    if full {
        f.gap(4.0);
        f.paragraph(&bold, 12.0, ACCENT, 0.0, "Portfolio of verified work");
    }
    if !r.about.is_empty() {
        f.gap(6.0);
        f.paragraph(&regular, 10.0, INK, 0.0, &r.about);
    }

    let heading = |f: &mut Flow, text: &str| {
        f.gap(10.0);
        f.room(40.0);
        f.paragraph(&bold, 12.0, ACCENT, 0.0, text);
        f.rule();
    };

    if !r.projects.is_empty() {
        heading(&mut f, "Verified work");
        for p in &r.projects {
            // Keep a project's title with its first lines.
            f.room(60.0);
            f.paragraph(&bold, 11.0, INK, 0.0, &p.title);
            f.paragraph(
                &regular,
                9.0,
                MUTED,
                0.0,
                &format!("{} · {}", p.employer, p.when),
            );
            if !p.summary.is_empty() {
                f.paragraph(&regular, 10.0, INK, 0.0, &p.summary);
            }
            for o in &p.outcomes {
                let lines = wrap(&regular, 10.0, f.column() - 12.0, o);
                for (i, l) in lines.iter().enumerate() {
                    if i == 0 {
                        // The bullet hangs in the indent.
                        let y_before = f.y;
                        f.line(&regular, 10.0, ACCENT, 2.0, "•");
                        f.y = y_before;
                    }
                    f.line(&regular, 10.0, INK, 12.0, l);
                }
            }
            if full && !p.criteria.is_empty() {
                f.gap(3.0);
                f.paragraph(&bold, 9.0, MUTED, 0.0, "What the employer asked for");
                for c in &p.criteria {
                    f.paragraph(&regular, 9.0, INK, 12.0, &format!("– {c}"));
                }
            }
            if full && !p.skills.is_empty() {
                f.paragraph(
                    &regular,
                    9.0,
                    MUTED,
                    0.0,
                    &format!("Skills: {}", p.skills.join(", ")),
                );
            }
            if full && let Some(rec) = &p.recommendation {
                f.gap(3.0);
                f.paragraph(
                    &regular,
                    9.5,
                    INK,
                    0.0,
                    &format!("“{rec}” — {}", p.employer),
                );
            }
            if let Some(url) = &p.credential_url {
                f.paragraph(
                    &regular,
                    8.5,
                    MUTED,
                    0.0,
                    &format!("Verified credential: {url}"),
                );
            }
            f.gap(8.0);
        }
    }
    if !full && !r.education.is_empty() {
        heading(&mut f, "Education");
        for e in &r.education {
            f.paragraph(&regular, 10.0, INK, 0.0, e);
        }
    }
    if !full && !r.skills.is_empty() {
        heading(&mut f, "Skills");
        f.paragraph(&regular, 10.0, INK, 0.0, &r.skills.join(", "));
    }
    if !r.footer.is_empty() {
        f.gap(14.0);
        f.paragraph(&regular, 8.0, MUTED, 0.0, &r.footer);
    }

    let (w, h) = paper.size_mm();
    let pages = std::mem::take(&mut f.pages)
        .into_iter()
        .map(|ops| PdfPage::new(Mm(w), Mm(h), ops))
        .collect();
    Ok(doc
        .with_pages(pages)
        .save(&PdfSaveOptions::default(), &mut Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(projects: usize) -> Resume {
        Resume {
            name: "Asha Rao".into(),
            headline: "Economics student who loves messy survey data".into(),
            contact: vec![
                "asha.rao@dit.example.ac.in".into(),
                "Hyderabad, India".into(),
            ],
            about: "I like the part of research most people skip.".into(),
            education: vec!["Deccan Institute of Technology — BA Economics, 2027".into()],
            skills: vec!["Spreadsheets".into(), "Statistics".into()],
            projects: (0..projects)
                .map(|i| Project {
                    title: format!("Analyse 500 customer survey responses ({i})"),
                    employer: "BrightLeaf Analytics".into(),
                    when: "3 Nov – 20 Nov 2026 · 20 hours · ₹9,000".into(),
                    summary: "Code open-ended answers into themes. ".repeat(6),
                    outcomes: vec![
                        "500 survey responses coded".into(),
                        "11 themes defined".into(),
                    ],
                    credential_url: Some(
                        "https://stint.example/credentials/46cbe0235e19306057ce1af6b51b1e82".into(),
                    ),
                    criteria: vec!["Every response carries one main theme".into()],
                    skills: vec!["Spreadsheets".into()],
                    recommendation: Some("I'd gladly hire Asha again.".into()),
                })
                .collect(),
            footer: "Every project above was paid and its outcomes confirmed by the employer."
                .into(),
        }
    }

    #[test]
    fn a_resume_is_a_pdf_with_its_font_embedded() {
        let bytes = resume(&sample(2), Paper::A4).unwrap_or_default();
        assert!(bytes.starts_with(b"%PDF-"), "not a PDF");
        // printpdf subsets fonts only with its heavy text_layout feature, so the
        // two faces travel whole (about 750 KB after compression).
        assert!(bytes.len() < 1_000_000, "{} bytes", bytes.len());
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/FontFile2"), "a TrueType font is embedded");
        assert!(text.contains("/MediaBox"));
    }

    #[test]
    fn long_resumes_flow_onto_more_pages_and_letter_is_narrower() {
        let one = resume(&sample(1), Paper::Letter).unwrap_or_default();
        let many = resume(&sample(12), Paper::Letter).unwrap_or_default();
        let pages = |b: &[u8]| {
            String::from_utf8_lossy(b).matches("/Type /Page\n").count()
                + String::from_utf8_lossy(b).matches("/Type/Page/").count()
                + String::from_utf8_lossy(b).matches("/Type /Page/").count()
        };
        assert!(pages(&many) >= pages(&one));
        assert_eq!(Paper::for_country("US"), Paper::Letter);
        assert_eq!(Paper::for_country("IN"), Paper::A4);
        assert!(
            String::from_utf8_lossy(&one).contains("612"),
            "Letter is 612 points wide"
        );
    }

    #[test]
    fn the_portfolio_document_holds_more_than_the_resume() {
        let r = sample(3);
        let short = resume(&r, Paper::A4).unwrap_or_default();
        let long = portfolio(&r, Paper::A4).unwrap_or_default();
        assert!(long.starts_with(b"%PDF-"));
        assert_ne!(short, long);
    }

    #[test]
    fn words_wrap_within_the_column_and_urls_are_cut() {
        let mut doc = PdfDocument::new("t");
        let f = face(&mut doc, REGULAR).unwrap_or_else(|e| panic!("{e}"));
        let lines = wrap(&f, 10.0, 100.0, &format!("a few words {}", "x".repeat(80)));
        assert!(lines.len() >= 3, "{lines:?}");
        for l in &lines {
            assert!(f.width(l, 10.0) <= 100.0, "{l}");
        }
    }
}
