use super::*;

fn form(method: &str) -> PayoutForm {
    PayoutForm {
        method: method.into(),
        holder_name: "Divya Krishnan".into(),
        ..Default::default()
    }
}

#[test]
fn ibans_are_checked_by_their_digits() {
    // Published examples (ISO 13616 / the European Commission).
    assert_eq!(
        parse_iban("DE89 3704 0044 0532 0130 00"),
        Ok("DE89370400440532013000".into())
    );
    assert!(parse_iban("GB82 WEST 1234 5698 7654 32").is_ok());
    assert!(parse_iban("FR14 2004 1010 0505 0001 3M02 606").is_ok());
    assert!(
        parse_iban("DE88 3704 0044 0532 0130 00").is_err(),
        "check digits"
    );
    assert!(parse_iban("DE89 3704 0044 0532 0130 0").is_err(), "length");
    assert!(
        parse_iban("XX89 3704 0044 0532 0130 00").is_err(),
        "country"
    );
}

#[test]
fn routing_numbers_carry_a_checksum() {
    assert!(
        parse_routing("011000015").is_ok(),
        "the Federal Reserve Bank of Boston"
    );
    assert!(parse_routing("021000021").is_ok());
    assert!(parse_routing("021000022").is_err());
    assert!(parse_routing("12345").is_err());
}

#[test]
fn indian_details() {
    assert_eq!(parse_ifsc("hdfc0001234"), Ok("HDFC0001234".into()));
    assert!(
        parse_ifsc("HDFC1001234").is_err(),
        "fifth character is zero"
    );
    assert!(parse_ifsc("HDF00001234").is_err());
    assert_eq!(
        parse_upi("Divya.K@okhdfcbank"),
        Ok("divya.k@okhdfcbank".into())
    );
    assert!(parse_upi("divya").is_err());
    assert!(parse_upi("d@x").is_err());
    let mut f = form("in_bank");
    f.account_number = "50100 1234 5678".into();
    f.ifsc = "HDFC0001234".into();
    let d = f.parse().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.masked(), "Bank account ••••5678 (HDFC)");
    assert!(!d.masked().contains("501001234"));
}

#[test]
fn every_missing_field_is_named() {
    let e = form("uk_bank").parse().err().unwrap_or_default();
    let fields: Vec<&str> = e.0.iter().map(|f| f.field).collect();
    assert_eq!(fields, vec!["sort_code", "account_number"]);
    let e = PayoutForm::default().parse().err().unwrap_or_default();
    let fields: Vec<&str> = e.0.iter().map(|f| f.field).collect();
    assert_eq!(fields, vec!["holder_name", "method"]);
    let mut f = form("uk_bank");
    f.sort_code = "20-00-00".into();
    f.account_number = "55779911".into();
    let d = f.parse().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(d.full()[1], ("Sort code", "20-00-00".to_string()));
    assert_eq!(d.masked(), "UK account ••••9911");
}

#[test]
fn details_round_trip_as_stored() {
    let mut f = form("iban");
    f.iban = "DE89370400440532013000".into();
    let d = f.parse().unwrap_or_else(|e| panic!("{e}"));
    let json = serde_json::to_string(&d).unwrap_or_default();
    let back: PayoutDetails = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, d);
    assert_eq!(d.masked(), "IBAN DE ••••3000");
}
