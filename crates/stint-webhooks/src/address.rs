//! Where a webhook may go. An organization types the address, so it must
//! not reach Stint's own network (server-side request forgery): addresses
//! that are loopback, private, link-local (cloud metadata lives there),
//! shared, multicast, documentation or reserved are refused. A host name is
//! checked after it is resolved, by the resolver the sender connects
//! through, so a name that changes its answer between a check and the
//! connection still cannot reach them.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use reqwest::Url;

/// Longest address accepted.
pub const MAX_URL_LEN: usize = 2_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("Enter a full address, such as https://example.com/stint/webhooks.")]
    Invalid,
    #[error("The address must start with https:// (deliveries carry your data).")]
    NotHttps,
    #[error(
        "The address may not contain a user name or password; authenticate with the signature instead."
    )]
    Credentials,
    #[error("The address is too long (at most 2,000 characters).")]
    TooLong,
    #[error(
        "The address points to a private, loopback or link-local network, which Stint does not send to."
    )]
    Private,
}

/// Whether Stint refuses to connect to `ip`.
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // shared address space (carrier NAT)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 198 && (b == 18 || b == 19)) // benchmarking
        || a >= 240 // reserved
}

fn forbidden_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return forbidden_v4(v4);
    }
    let s = ip.segments();
    // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address.
    if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        let [a, b] = s[6].to_be_bytes();
        let [c, d] = s[7].to_be_bytes();
        return forbidden_v4(Ipv4Addr::new(a, b, c, d));
    }
    if s[0] == 0x2002 {
        let [a, b] = s[1].to_be_bytes();
        let [c, d] = s[2].to_be_bytes();
        return forbidden_v4(Ipv4Addr::new(a, b, c, d));
    }
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00 // unique local
        || (s[0] & 0xffc0) == 0xfe80 // link-local
        || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || s[..6] == [0, 0, 0, 0, 0, 0] // IPv4-compatible (deprecated), ::/96
}

/// Checks an address as typed: a full `https://` URL without credentials,
/// whose host, if written as an IP address, is public. With
/// `allow_private` (development and tests) `http://` and any address pass.
pub fn check_url(raw: &str, allow_private: bool) -> Result<Url, AddressError> {
    let raw = raw.trim();
    if raw.len() > MAX_URL_LEN {
        return Err(AddressError::TooLong);
    }
    let url = Url::parse(raw).map_err(|_| AddressError::Invalid)?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        "http" => return Err(AddressError::NotHttps),
        _ => return Err(AddressError::Invalid),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(AddressError::Credentials);
    }
    let ip = match url.host() {
        None => return Err(AddressError::Invalid),
        Some(url::Host::Domain(d)) => {
            let d = d.trim_end_matches('.');
            if d.is_empty() || !d.contains('.') && d != "localhost" {
                return Err(AddressError::Invalid);
            }
            if !allow_private && (d == "localhost" || d.ends_with(".localhost")) {
                return Err(AddressError::Private);
            }
            None
        }
        Some(url::Host::Ipv4(v4)) => Some(IpAddr::V4(v4)),
        Some(url::Host::Ipv6(v6)) => Some(IpAddr::V6(v6)),
    };
    if !allow_private && ip.is_some_and(is_forbidden) {
        return Err(AddressError::Private);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_refused() {
        for bad in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "198.18.0.1",
            "192.0.2.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "fc00::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:1",
            "2002:7f00:1::",
            "2001:db8::1",
            "::127.0.0.1",
        ] {
            let ip: IpAddr = bad.parse().unwrap_or_else(|e| panic!("{bad}: {e}"));
            assert!(is_forbidden(ip), "{bad} should be refused");
        }
        for good in [
            "93.184.215.14",
            "8.8.8.8",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::6810:85e5",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
        ] {
            let ip: IpAddr = good.parse().unwrap_or_else(|e| panic!("{good}: {e}"));
            assert!(!is_forbidden(ip), "{good} should be allowed");
        }
    }

    #[test]
    fn typed_addresses_are_checked() {
        assert!(check_url("https://hooks.example.com/stint", false).is_ok());
        assert!(check_url(" https://hooks.example.com:8443/a?b=c ", false).is_ok());
        assert_eq!(
            check_url("http://hooks.example.com/", false),
            Err(AddressError::NotHttps)
        );
        assert_eq!(
            check_url("ftp://hooks.example.com/", false),
            Err(AddressError::Invalid)
        );
        assert_eq!(
            check_url("hooks.example.com", false),
            Err(AddressError::Invalid)
        );
        assert_eq!(
            check_url("https://intranet/", false),
            Err(AddressError::Invalid)
        );
        assert_eq!(
            check_url("https://user:pw@hooks.example.com/", false),
            Err(AddressError::Credentials)
        );
        for private in [
            "https://127.0.0.1/",
            "https://[::1]/",
            "https://169.254.169.254/latest/meta-data",
            "https://localhost/",
            "https://a.localhost/",
            "https://2130706433/",
            "https://0x7f.1/",
            "https://[::ffff:10.0.0.1]/",
        ] {
            assert_eq!(
                check_url(private, false),
                Err(AddressError::Private),
                "{private}"
            );
        }
        let long = format!("https://hooks.example.com/{}", "a".repeat(MAX_URL_LEN));
        assert_eq!(check_url(&long, false), Err(AddressError::TooLong));
        assert!(check_url("http://127.0.0.1:9000/hook", true).is_ok());
        assert!(check_url("http://localhost:9000/hook", true).is_ok());
    }
}
