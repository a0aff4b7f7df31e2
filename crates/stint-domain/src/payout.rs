//! Where a student is paid when an admin sends money by hand (the manual
//! provider): a bank account or UPI id in India, a UK sort code and account,
//! a US routing and account number, or an IBAN. Each is checked the way its
//! scheme allows — IBAN by its mod-97 check digits, a US routing number by
//! its ABA checksum, IFSC and UPI by their formats, a UK sort code and
//! account by their lengths (UK modulus checking needs a licensed table) —
//! and shown masked everywhere but the admin's payout page.

use serde::{Deserialize, Serialize};

use crate::text::bounded;
use crate::{FieldError, FieldErrors};

/// The form as typed; which fields count depends on `method`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PayoutForm {
    /// `in_bank`, `in_upi`, `uk_bank`, `us_bank` or `iban`.
    pub method: String,
    /// The account holder's name, as the bank knows it.
    pub holder_name: String,
    /// Account number (India, UK, US).
    pub account_number: String,
    /// Indian Financial System Code (India).
    pub ifsc: String,
    /// A UPI id such as `name@okbank` (India).
    pub upi_id: String,
    /// Six digits, dashes allowed (UK).
    pub sort_code: String,
    /// Nine digits (US).
    pub routing_number: String,
    /// International Bank Account Number (EU and elsewhere).
    pub iban: String,
}

/// Checked payout details. Serialized (and sealed) as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum PayoutDetails {
    InBank {
        holder_name: String,
        account_number: String,
        ifsc: String,
    },
    InUpi {
        holder_name: String,
        upi_id: String,
    },
    UkBank {
        holder_name: String,
        sort_code: String,
        account_number: String,
    },
    UsBank {
        holder_name: String,
        routing_number: String,
        account_number: String,
    },
    Iban {
        holder_name: String,
        iban: String,
    },
}

/// The methods, for forms: (value, label).
pub const METHODS: [(&str, &str); 5] = [
    ("in_bank", "Bank account in India (account number and IFSC)"),
    ("in_upi", "UPI id (India)"),
    ("uk_bank", "UK bank account (sort code and account number)"),
    ("us_bank", "US bank account (routing and account number)"),
    ("iban", "IBAN (EU and other IBAN countries)"),
];

fn digits(raw: &str, strip: &[char]) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace() && !strip.contains(c))
        .collect()
}

fn numeric(
    field: &'static str,
    label: &str,
    raw: &str,
    lengths: std::ops::RangeInclusive<usize>,
) -> Result<String, FieldError> {
    let d = digits(raw, &['-']);
    if d.is_empty() {
        return Err(FieldError::new(field, format!("{label} is required.")));
    }
    if !d.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::new(field, format!("{label} has digits only.")));
    }
    if !lengths.contains(&d.len()) {
        let want = if lengths.start() == lengths.end() {
            format!("{} digits", lengths.start())
        } else {
            format!("{} to {} digits", lengths.start(), lengths.end())
        };
        return Err(FieldError::new(
            field,
            format!("{label} has {want}; this has {}.", d.len()),
        ));
    }
    Ok(d)
}

/// An Indian Financial System Code: four letters (the bank), a zero, six
/// letters or digits (the branch).
pub fn parse_ifsc(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim().to_ascii_uppercase();
    let b = s.as_bytes();
    let ok = b.len() == 11
        && b[..4].iter().all(u8::is_ascii_uppercase)
        && b[4] == b'0'
        && b[5..].iter().all(u8::is_ascii_alphanumeric);
    if ok {
        Ok(s)
    } else {
        Err(FieldError::new(
            "ifsc",
            "An IFSC has 11 characters: four letters, a zero, then six letters or digits (for example HDFC0001234).",
        ))
    }
}

/// A UPI id: a handle, `@`, and the provider (`name.surname@okhdfcbank`).
pub fn parse_upi(raw: &str) -> Result<String, FieldError> {
    let s = raw.trim().to_ascii_lowercase();
    let ok = match s.split_once('@') {
        Some((handle, provider)) => {
            (2..=256).contains(&handle.len())
                && handle
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c))
                && (2..=64).contains(&provider.len())
                && provider.chars().all(|c| c.is_ascii_alphanumeric())
        }
        None => false,
    };
    if ok {
        Ok(s)
    } else {
        Err(FieldError::new(
            "upi_id",
            "A UPI id looks like name@bank (letters, digits, dots, dashes or underscores, then @ and the provider).",
        ))
    }
}

/// A US routing (ABA) number: nine digits whose weighted sum
/// (3, 7, 1 repeating) is a multiple of ten.
pub fn parse_routing(raw: &str) -> Result<String, FieldError> {
    let d = numeric("routing_number", "A routing number", raw, 9..=9)?;
    let n: Vec<u32> = d.chars().filter_map(|c| c.to_digit(10)).collect();
    let sum: u32 = n
        .iter()
        .zip([3, 7, 1].iter().cycle())
        .map(|(d, w)| d * w)
        .sum();
    if sum.is_multiple_of(10) {
        Ok(d)
    } else {
        Err(FieldError::new(
            "routing_number",
            "That routing number's check digit is wrong; copy it again from a cheque or your bank.",
        ))
    }
}

/// IBAN lengths by country (the SWIFT registry), for the countries Stint's
/// students are most often paid in and the rest of SEPA.
const IBAN_LENGTHS: [(&str, usize); 36] = [
    ("AD", 24),
    ("AT", 20),
    ("BE", 16),
    ("BG", 22),
    ("CH", 21),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("EE", 20),
    ("ES", 24),
    ("FI", 18),
    ("FR", 27),
    ("GB", 22),
    ("GI", 23),
    ("GR", 27),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IS", 26),
    ("IT", 27),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MT", 31),
    ("NL", 18),
    ("NO", 15),
    ("PL", 28),
    ("PT", 25),
    ("RO", 24),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
];

/// An IBAN: a known country's length, and mod-97 of the rearranged number
/// equal to 1 (ISO 13616).
pub fn parse_iban(raw: &str) -> Result<String, FieldError> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_ascii_uppercase();
    let bad = |m: &str| Err(FieldError::new("iban", m.to_string()));
    if s.len() < 5 || !s.chars().all(|c| c.is_ascii_alphanumeric()) {
        return bad(
            "An IBAN starts with a two-letter country code and two check digits, then the account (letters and digits only).",
        );
    }
    let country = &s[..2];
    match IBAN_LENGTHS.iter().find(|(c, _)| *c == country) {
        None => {
            return bad(
                "Stint cannot pay to IBANs of that country yet; check the first two letters.",
            );
        }
        Some((_, len)) if *len != s.len() => {
            return Err(FieldError::new(
                "iban",
                format!(
                    "An IBAN from {country} has {len} characters; this has {}.",
                    s.len()
                ),
            ));
        }
        _ => {}
    }
    let rearranged = s[4..].chars().chain(s[..4].chars());
    let mut rem: u32 = 0;
    for c in rearranged {
        let v = c.to_digit(36).unwrap_or(0);
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    if rem == 1 {
        Ok(s)
    } else {
        bad("That IBAN's check digits do not match; copy it again from your bank.")
    }
}

impl PayoutForm {
    pub fn parse(&self) -> Result<PayoutDetails, FieldErrors> {
        let mut e = FieldErrors::new();
        let holder = e.take(bounded(
            "holder_name",
            "The account holder's name",
            &self.holder_name,
            2,
            140,
        ));
        let details = match self.method.trim() {
            "in_bank" => {
                let account = e.take(numeric(
                    "account_number",
                    "An Indian account number",
                    &self.account_number,
                    9..=18,
                ));
                let ifsc = e.take(parse_ifsc(&self.ifsc));
                match (holder, account, ifsc) {
                    (Some(holder_name), Some(account_number), Some(ifsc)) => {
                        Some(PayoutDetails::InBank {
                            holder_name,
                            account_number,
                            ifsc,
                        })
                    }
                    _ => None,
                }
            }
            "in_upi" => match (holder, e.take(parse_upi(&self.upi_id))) {
                (Some(holder_name), Some(upi_id)) => Some(PayoutDetails::InUpi {
                    holder_name,
                    upi_id,
                }),
                _ => None,
            },
            "uk_bank" => {
                let sort = e.take(numeric("sort_code", "A sort code", &self.sort_code, 6..=6));
                let account = e.take(numeric(
                    "account_number",
                    "A UK account number",
                    &self.account_number,
                    8..=8,
                ));
                match (holder, sort, account) {
                    (Some(holder_name), Some(sort_code), Some(account_number)) => {
                        Some(PayoutDetails::UkBank {
                            holder_name,
                            sort_code,
                            account_number,
                        })
                    }
                    _ => None,
                }
            }
            "us_bank" => {
                let routing = e.take(parse_routing(&self.routing_number));
                let account = e.take(numeric(
                    "account_number",
                    "A US account number",
                    &self.account_number,
                    4..=17,
                ));
                match (holder, routing, account) {
                    (Some(holder_name), Some(routing_number), Some(account_number)) => {
                        Some(PayoutDetails::UsBank {
                            holder_name,
                            routing_number,
                            account_number,
                        })
                    }
                    _ => None,
                }
            }
            "iban" => match (holder, e.take(parse_iban(&self.iban))) {
                (Some(holder_name), Some(iban)) => Some(PayoutDetails::Iban { holder_name, iban }),
                _ => None,
            },
            _ => {
                e.add("method", "Choose how you want to be paid.");
                None
            }
        };
        match details {
            Some(d) if e.is_empty() => Ok(d),
            _ => Err(e),
        }
    }
}

fn last4(s: &str) -> String {
    let n = s.chars().count();
    s.chars().skip(n.saturating_sub(4)).collect()
}

fn head(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

impl PayoutDetails {
    pub fn method(&self) -> &'static str {
        match self {
            PayoutDetails::InBank { .. } => "in_bank",
            PayoutDetails::InUpi { .. } => "in_upi",
            PayoutDetails::UkBank { .. } => "uk_bank",
            PayoutDetails::UsBank { .. } => "us_bank",
            PayoutDetails::Iban { .. } => "iban",
        }
    }

    pub fn holder_name(&self) -> &str {
        match self {
            PayoutDetails::InBank { holder_name, .. }
            | PayoutDetails::InUpi { holder_name, .. }
            | PayoutDetails::UkBank { holder_name, .. }
            | PayoutDetails::UsBank { holder_name, .. }
            | PayoutDetails::Iban { holder_name, .. } => holder_name,
        }
    }

    /// For everyone but the admin paying out: the kind of account and
    /// enough of it to recognise, never enough to use.
    pub fn masked(&self) -> String {
        match self {
            PayoutDetails::InBank {
                account_number,
                ifsc,
                ..
            } => format!(
                "Bank account ••••{} ({})",
                last4(account_number),
                head(ifsc, 4)
            ),
            PayoutDetails::InUpi { upi_id, .. } => {
                let (handle, provider) = upi_id.split_once('@').unwrap_or((upi_id, ""));
                let first: String = handle.chars().take(1).collect();
                format!("UPI {first}•••@{provider}")
            }
            PayoutDetails::UkBank { account_number, .. } => {
                format!("UK account ••••{}", last4(account_number))
            }
            PayoutDetails::UsBank { account_number, .. } => {
                format!("US account ••••{}", last4(account_number))
            }
            PayoutDetails::Iban { iban, .. } => {
                format!("IBAN {} ••••{}", head(iban, 2), last4(iban))
            }
        }
    }

    /// Everything an admin needs to send the money, one line per field.
    pub fn full(&self) -> Vec<(&'static str, String)> {
        let mut out = vec![("Account holder", self.holder_name().to_string())];
        match self {
            PayoutDetails::InBank {
                account_number,
                ifsc,
                ..
            } => {
                out.push(("Account number", account_number.clone()));
                out.push(("IFSC", ifsc.clone()));
            }
            PayoutDetails::InUpi { upi_id, .. } => out.push(("UPI id", upi_id.clone())),
            PayoutDetails::UkBank {
                sort_code,
                account_number,
                ..
            } => {
                out.push((
                    "Sort code",
                    sort_code
                        .chars()
                        .collect::<Vec<_>>()
                        .chunks(2)
                        .map(|c| c.iter().collect::<String>())
                        .collect::<Vec<_>>()
                        .join("-"),
                ));
                out.push(("Account number", account_number.clone()));
            }
            PayoutDetails::UsBank {
                routing_number,
                account_number,
                ..
            } => {
                out.push(("Routing number", routing_number.clone()));
                out.push(("Account number", account_number.clone()));
            }
            PayoutDetails::Iban { iban, .. } => out.push(("IBAN", iban.clone())),
        }
        out
    }
}

#[cfg(test)]
mod tests;
