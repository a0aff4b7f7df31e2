//! CSV for statements (RFC 4180): fields quoted when they hold a comma, a
//! quote or a line break, and text that a spreadsheet would run as a
//! formula (`=`, `+`, `-`, `@` first) prefixed with an apostrophe.

/// Builds a CSV document row by row.
#[derive(Default)]
pub struct Csv {
    out: String,
}

impl Csv {
    pub fn new(header: &[&str]) -> Csv {
        let mut c = Csv::default();
        c.row(
            header
                .iter()
                .map(|h| Cell::Text(h))
                .collect::<Vec<_>>()
                .as_slice(),
        );
        c
    }

    pub fn row(&mut self, cells: &[Cell<'_>]) {
        let line: Vec<String> = cells.iter().map(Cell::render).collect();
        self.out.push_str(&line.join(","));
        self.out.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.out
    }
}

pub enum Cell<'a> {
    /// Written as it is, guarded against formulas.
    Text(&'a str),
    /// A number written by us (an amount, an id).
    Number(String),
}

impl Cell<'_> {
    fn render(&self) -> String {
        let raw = match self {
            Cell::Number(n) => return n.clone(),
            Cell::Text(t) => *t,
        };
        let guarded = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{raw}")
        } else {
            raw.to_string()
        };
        if guarded.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", guarded.replace('"', "\"\""))
        } else {
            guarded
        }
    }
}

/// Minor units as a decimal with two places: `-1234` → `-12.34`.
pub fn amount(minor: i64) -> Cell<'static> {
    let sign = if minor < 0 { "-" } else { "" };
    let m = minor.unsigned_abs();
    Cell::Number(format!("{sign}{}.{:02}", m / 100, m % 100))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_guards() {
        let mut c = Csv::new(&["a", "b", "c"]);
        c.row(&[
            Cell::Text("=SUM(A1)"),
            Cell::Text("say \"hi\", then go"),
            amount(-1234),
        ]);
        assert_eq!(
            c.finish(),
            "a,b,c\r\n'=SUM(A1),\"say \"\"hi\"\", then go\",-12.34\r\n"
        );
        assert!(matches!(amount(5), Cell::Number(ref s) if s == "0.05"));
    }
}
