//! Money as integer minor units plus an ISO 4217 code — never floats — and the
//! per-currency hourly floor that keeps every project fairly paid.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// The currencies Stint prices projects in. All have two minor-unit digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Currency {
    Inr,
    Usd,
    Gbp,
    Eur,
}

impl Currency {
    pub const ALL: [Currency; 4] = [Currency::Usd, Currency::Gbp, Currency::Eur, Currency::Inr];

    /// The currency an organization in `country` (ISO 3166 alpha-2) most
    /// likely pays in; US dollars where none of ours is local.
    pub fn for_country(country: &str) -> Currency {
        match country.trim().to_ascii_uppercase().as_str() {
            "IN" => Currency::Inr,
            "GB" | "UK" => Currency::Gbp,
            "AT" | "BE" | "HR" | "CY" | "EE" | "FI" | "FR" | "DE" | "GR" | "IE" | "IT" | "LV"
            | "LT" | "LU" | "MT" | "NL" | "PT" | "SK" | "SI" | "ES" => Currency::Eur,
            _ => Currency::Usd,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Currency::Inr => "INR",
            Currency::Usd => "USD",
            Currency::Gbp => "GBP",
            Currency::Eur => "EUR",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Inr => "₹",
            Currency::Usd => "$",
            Currency::Gbp => "£",
            Currency::Eur => "€",
        }
    }

    /// Approximate value of one major unit in US cents. Used only to sort and
    /// filter listings of mixed currencies; never to move money.
    pub fn approx_usd_cents_per_unit(self) -> i64 {
        match self {
            Currency::Inr => 1, // ~0.012 USD; rounded up so INR listings keep an order
            Currency::Usd => 100,
            Currency::Gbp => 127,
            Currency::Eur => 108,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "INR" => Ok(Currency::Inr),
            "USD" => Ok(Currency::Usd),
            "GBP" => Ok(Currency::Gbp),
            "EUR" => Ok(Currency::Eur),
            _ => Err(FieldError::new(
                "currency",
                "Choose one of USD, GBP, EUR or INR.",
            )),
        }
    }
}

/// An amount in minor units (cents, paise, pence) of one currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    pub minor: i64,
    pub currency: Currency,
}

/// Largest price accepted for one project, in major units.
pub const MAX_PRICE_MAJOR: i64 = 10_000_000;

impl Money {
    pub fn new(minor: i64, currency: Currency) -> Self {
        Self { minor, currency }
    }

    /// Parses a positive amount typed by a person, such as `450`, `450.5`,
    /// `1,500.00`; at most two decimals.
    pub fn parse(field: &'static str, raw: &str, currency: Currency) -> Result<Money, FieldError> {
        let s: String = raw
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '_')
            .collect();
        let bad = || FieldError::new(field, "Enter an amount such as 450 or 450.50.");
        if s.is_empty() {
            return Err(FieldError::new(field, "Enter a price."));
        }
        let (whole, frac) = match s.split_once('.') {
            Some((w, f)) => (w, f),
            None => (s.as_str(), ""),
        };
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        if frac.len() > 2 {
            return Err(FieldError::new(field, "Use at most two decimal places."));
        }
        if whole.len() > 9 {
            return Err(FieldError::new(
                field,
                format!("The price can be at most {MAX_PRICE_MAJOR}."),
            ));
        }
        let major: i64 = whole.parse().map_err(|_| bad())?;
        let mut cents: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| bad())?
        };
        if frac.len() == 1 {
            cents *= 10;
        }
        if major > MAX_PRICE_MAJOR {
            return Err(FieldError::new(
                field,
                format!("The price can be at most {MAX_PRICE_MAJOR}."),
            ));
        }
        let minor = major * 100 + cents;
        if minor <= 0 {
            return Err(FieldError::new(field, "The price must be more than zero."));
        }
        Ok(Money { minor, currency })
    }

    /// The amount as a plain decimal, for form fields: `450.00` → `450`, `450.5` stays `450.50`.
    pub fn plain(&self) -> String {
        if self.minor % 100 == 0 {
            format!("{}", self.minor / 100)
        } else {
            format!("{}.{:02}", self.minor / 100, self.minor % 100)
        }
    }

    /// Approximate value in US cents, for sorting mixed-currency listings.
    pub fn approx_usd_cents(&self) -> i64 {
        self.minor / 100 * self.currency.approx_usd_cents_per_unit()
            + self.minor % 100 * self.currency.approx_usd_cents_per_unit() / 100
    }

    /// Price divided by hours, rounded down to a minor unit.
    pub fn per_hour(&self, hours: u16) -> Money {
        Money {
            minor: self.minor / i64::from(hours.max(1)),
            currency: self.currency,
        }
    }
}

/// Groups thousands: 1234567 → "1,234,567".
fn group(n: i64) -> String {
    let digits = n.abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Groups the Indian way, as rupee amounts are read: the last three digits,
/// then pairs: 10000000 → "1,00,00,000" (one crore), 100000 → "1,00,000".
fn group_indian(n: i64) -> String {
    let digits = n.abs().to_string();
    let out = if digits.len() <= 3 {
        digits
    } else {
        let (head, tail) = digits.split_at(digits.len() - 3);
        let mut out = String::new();
        for (i, c) in head.chars().enumerate() {
            if i > 0 && (head.len() - i).is_multiple_of(2) {
                out.push(',');
            }
            out.push(c);
        }
        format!("{out},{tail}")
    };
    if n < 0 { format!("-{out}") } else { out }
}

impl fmt::Display for Money {
    /// `$450`, `$12.50`, `₹18,000`, `₹1,00,000` (rupees group in lakhs).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sym = self.currency.symbol();
        let major = if self.currency == Currency::Inr {
            group_indian(self.minor / 100)
        } else {
            group(self.minor / 100)
        };
        let cents = (self.minor % 100).abs();
        if cents == 0 {
            write!(f, "{sym}{major}")
        } else {
            write!(f, "{sym}{major}.{cents:02}")
        }
    }
}

/// The lowest acceptable effective hourly rate per currency, in minor units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HourlyFloors(pub BTreeMap<Currency, i64>);

impl Default for HourlyFloors {
    fn default() -> Self {
        Self(BTreeMap::from([
            (Currency::Inr, 15_000),
            (Currency::Usd, 1_500),
            (Currency::Gbp, 1_200),
            (Currency::Eur, 1_300),
        ]))
    }
}

impl HourlyFloors {
    pub fn floor(&self, currency: Currency) -> Money {
        Money::new(self.0.get(&currency).copied().unwrap_or(0), currency)
    }

    /// The smallest price for `hours` of work that clears the floor.
    pub fn minimum_price(&self, currency: Currency, hours: u16) -> Money {
        Money::new(self.floor(currency).minor * i64::from(hours), currency)
    }

    /// Parses `USD=1500,INR=15000` (minor units) over the defaults.
    pub fn parse_overrides(raw: &str) -> Result<HourlyFloors, String> {
        let mut floors = HourlyFloors::default();
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (code, value) = part.split_once('=').ok_or_else(|| {
                format!("'{part}' should look like USD=1500 (minor units per hour)")
            })?;
            let currency: Currency = code
                .parse()
                .map_err(|_| format!("unknown currency '{code}'"))?;
            let minor: i64 = value
                .trim()
                .parse()
                .ok()
                .filter(|v: &i64| *v >= 0)
                .ok_or_else(|| format!("'{value}' is not a whole number of minor units"))?;
            floors.0.insert(currency, minor);
        }
        Ok(floors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_amounts_people_type() {
        let usd = Currency::Usd;
        assert_eq!(Money::parse("p", "450", usd).map(|m| m.minor), Ok(45_000));
        assert_eq!(
            Money::parse("p", " 1,500.5 ", usd).map(|m| m.minor),
            Ok(150_050)
        );
        assert_eq!(Money::parse("p", "0.05", usd).map(|m| m.minor), Ok(5));
        for bad in [
            "",
            "abc",
            "-5",
            "1.234",
            "0",
            "0.00",
            "1e5",
            ".5",
            "99999999999",
        ] {
            assert!(
                Money::parse("p", bad, usd).is_err(),
                "{bad} should be refused"
            );
        }
    }

    #[test]
    fn currency_follows_the_organizations_country() {
        assert_eq!(Currency::for_country("IN"), Currency::Inr);
        assert_eq!(Currency::for_country("gb"), Currency::Gbp);
        assert_eq!(Currency::for_country("DE"), Currency::Eur);
        assert_eq!(Currency::for_country("US"), Currency::Usd);
        assert_eq!(Currency::for_country("BR"), Currency::Usd);
    }

    #[test]
    fn rupees_group_in_lakhs_and_crores() {
        let r = |major: i64| Money::new(major * 100, Currency::Inr).to_string();
        assert_eq!(r(999), "₹999");
        assert_eq!(r(18_000), "₹18,000");
        assert_eq!(r(100_000), "₹1,00,000");
        assert_eq!(r(1_234_567), "₹12,34,567");
        assert_eq!(r(10_000_000), "₹1,00,00,000");
        assert_eq!(r(-250_000), "₹-2,50,000");
        assert_eq!(
            Money::new(100_000_000, Currency::Usd).to_string(),
            "$1,000,000"
        );
    }

    #[test]
    fn displays_with_symbol_and_grouping() {
        assert_eq!(Money::new(45_000, Currency::Usd).to_string(), "$450");
        assert_eq!(Money::new(1_800_000, Currency::Inr).to_string(), "₹18,000");
        assert_eq!(Money::new(1_250, Currency::Gbp).to_string(), "£12.50");
        assert_eq!(Money::new(45_050, Currency::Usd).plain(), "450.50");
    }

    #[test]
    fn floors_have_defaults_and_overrides() {
        let f = HourlyFloors::default();
        assert_eq!(f.minimum_price(Currency::Usd, 10).minor, 15_000);
        let f = HourlyFloors::parse_overrides("USD=2000, inr=20000").unwrap_or_default();
        assert_eq!(f.floor(Currency::Usd).minor, 2000);
        assert_eq!(f.floor(Currency::Inr).minor, 20000);
        assert!(HourlyFloors::parse_overrides("XYZ=1").is_err());
        assert!(HourlyFloors::parse_overrides("USD").is_err());
        assert!(HourlyFloors::parse_overrides("USD=-1").is_err());
    }

    #[test]
    fn currency_parse_is_case_insensitive() {
        assert_eq!("gbp".parse::<Currency>(), Ok(Currency::Gbp));
        assert!("".parse::<Currency>().is_err());
    }
}
