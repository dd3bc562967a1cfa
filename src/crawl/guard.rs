//! Which addresses the crawler may connect to.
//!
//! By default only public addresses. Refused: every range of the IANA IPv4 and IPv6
//! Special-Purpose Address Registries, multicast, IPv6 outside global unicast 2000::/3,
//! and IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64, 6to4) when that
//! address is refused. Special-use names (RFC 6761) are settled here too, so that no
//! resolver is asked about them. The check runs after DNS resolution (a resolver that
//! drops refused addresses) and, for IP-literal URLs that never reach a resolver, before
//! every request and every redirect hop.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

/// Where an IPv6 range carries an IPv4 address, judged in its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Carries {
    /// Nothing: the range is refused whole.
    Nothing,
    /// The last 32 bits (IPv4-mapped, NAT64 well-known prefix).
    Low32,
    /// Bits 16 to 48 (6to4).
    Bits16To48,
}

/// The refused IPv4 ranges: the IANA IPv4 Special-Purpose Address Registry
/// (iana.org/assignments/iana-ipv4-special-registry) plus multicast. Entries the
/// registry marks globally reachable (AS112, AMT, and the anycast addresses in
/// 192.0.0.0/24) are refused all the same: they serve no web pages, and a whole-range
/// rule is easier to audit than a list of exceptions. First match names the range.
const SPECIAL_V4: &[(Ipv4Addr, u8, &str)] = &[
    (Ipv4Addr::new(0, 0, 0, 0), 8, "\"this network\" (RFC 791)"),
    (Ipv4Addr::new(10, 0, 0, 0), 8, "private (RFC 1918)"),
    (
        Ipv4Addr::new(100, 64, 0, 0),
        10,
        "shared address space (RFC 6598)",
    ),
    (Ipv4Addr::new(127, 0, 0, 0), 8, "loopback (RFC 1122)"),
    (Ipv4Addr::new(169, 254, 0, 0), 16, "link-local (RFC 3927)"),
    (Ipv4Addr::new(172, 16, 0, 0), 12, "private (RFC 1918)"),
    (
        Ipv4Addr::new(192, 0, 0, 0),
        24,
        "IETF protocol assignments (RFC 6890)",
    ),
    (Ipv4Addr::new(192, 0, 2, 0), 24, "documentation (RFC 5737)"),
    (Ipv4Addr::new(192, 31, 196, 0), 24, "AS112-v4 (RFC 7535)"),
    (Ipv4Addr::new(192, 52, 193, 0), 24, "AMT (RFC 7450)"),
    (
        Ipv4Addr::new(192, 88, 99, 0),
        24,
        "6to4 relay anycast, deprecated (RFC 7526)",
    ),
    (Ipv4Addr::new(192, 168, 0, 0), 16, "private (RFC 1918)"),
    (
        Ipv4Addr::new(192, 175, 48, 0),
        24,
        "AS112 direct delegation (RFC 7534)",
    ),
    (Ipv4Addr::new(198, 18, 0, 0), 15, "benchmarking (RFC 2544)"),
    (
        Ipv4Addr::new(198, 51, 100, 0),
        24,
        "documentation (RFC 5737)",
    ),
    (
        Ipv4Addr::new(203, 0, 113, 0),
        24,
        "documentation (RFC 5737)",
    ),
    (Ipv4Addr::new(224, 0, 0, 0), 4, "multicast (RFC 5771)"),
    (
        Ipv4Addr::new(255, 255, 255, 255),
        32,
        "limited broadcast (RFC 919)",
    ),
    (Ipv4Addr::new(240, 0, 0, 0), 4, "reserved (RFC 1112)"),
];

/// The IPv6 ranges: the IANA IPv6 Special-Purpose Address Registry
/// (iana.org/assignments/iana-ipv6-special-registry), the deprecated site-local and
/// IPv4-compatible ranges, and multicast. Forms that carry an IPv4 address are judged by
/// it; other entries are refused whole, globally reachable ones included (as for IPv4).
/// Besides these, everything outside 2000::/3 is refused: the IANA IPv6 Address Space
/// registry allocates nothing else for global unicast. First match names the range.
const SPECIAL_V6: &[(Ipv6Addr, u8, &str, Carries)] = &[
    (v6(0, 0, 0), 128, "unspecified (RFC 4291)", Carries::Nothing),
    (v6(0, 0, 1), 128, "loopback (RFC 4291)", Carries::Nothing),
    (
        v6(0, 0, 0xffff_0000_0000),
        96,
        "IPv4-mapped (RFC 4291)",
        Carries::Low32,
    ),
    (
        v6(0, 0, 0),
        96,
        "IPv4-compatible, deprecated (RFC 4291)",
        Carries::Nothing,
    ),
    (v6(0x64, 0xff9b, 0), 96, "NAT64 (RFC 6052)", Carries::Low32),
    // Local-use: where the IPv4 address sits depends on each network's prefix length
    // (RFC 6052 section 2.2), so it cannot be read, and the range is not global anyway.
    (
        v6(0x64, 0xff9b, 1 << 80),
        48,
        "local-use NAT64 (RFC 8215)",
        Carries::Nothing,
    ),
    (
        v6(0x100, 0, 0),
        64,
        "discard-only (RFC 6666)",
        Carries::Nothing,
    ),
    (
        v6(0x100, 0, 1 << 64),
        64,
        "dummy prefix (RFC 9780)",
        Carries::Nothing,
    ),
    // Teredo hides the client's IPv4 address (obfuscated) behind a NAT: refused whole.
    (v6(0x2001, 0, 0), 32, "Teredo (RFC 4380)", Carries::Nothing),
    (
        v6(0x2001, 0, 0),
        23,
        "IETF protocol assignments (RFC 2928)",
        Carries::Nothing,
    ),
    (
        v6(0x2001, 0xdb8, 0),
        32,
        "documentation (RFC 3849)",
        Carries::Nothing,
    ),
    (v6(0x2002, 0, 0), 16, "6to4 (RFC 3056)", Carries::Bits16To48),
    (
        v6(0x2620, 0x4f, 0x8000 << 80),
        48,
        "AS112 direct delegation (RFC 7534)",
        Carries::Nothing,
    ),
    (
        v6(0x3fff, 0, 0),
        20,
        "documentation (RFC 9637)",
        Carries::Nothing,
    ),
    (
        v6(0x5f00, 0, 0),
        16,
        "segment routing SIDs (RFC 9602)",
        Carries::Nothing,
    ),
    (
        v6(0xfc00, 0, 0),
        7,
        "unique local (RFC 4193)",
        Carries::Nothing,
    ),
    (
        v6(0xfe80, 0, 0),
        10,
        "link-local (RFC 4291)",
        Carries::Nothing,
    ),
    (
        v6(0xfec0, 0, 0),
        10,
        "site-local, deprecated (RFC 3879)",
        Carries::Nothing,
    ),
    (
        v6(0xff00, 0, 0),
        8,
        "multicast (RFC 4291)",
        Carries::Nothing,
    ),
];

/// An IPv6 address from its first two segments and its low 96 bits (keeps the table short).
const fn v6(a: u16, b: u16, low96: u128) -> Ipv6Addr {
    Ipv6Addr::from_bits(((a as u128) << 112) | ((b as u128) << 96) | low96)
}

fn in_v4(ip: Ipv4Addr, net: Ipv4Addr, len: u8) -> bool {
    let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
    ip.to_bits() & mask == net.to_bits() & mask
}

fn in_v6(ip: Ipv6Addr, net: Ipv6Addr, len: u8) -> bool {
    let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
    ip.to_bits() & mask == net.to_bits() & mask
}

/// Why an address is refused (the range it is in, and the IPv4 address it carries if
/// that is the reason), or None for a public address.
pub fn refusal(ip: IpAddr) -> Option<String> {
    match ip {
        IpAddr::V4(v4) => refusal_v4(v4),
        IpAddr::V6(ip6) => {
            let Some(&(net, len, what, carries)) = SPECIAL_V6
                .iter()
                .find(|(net, len, _, _)| in_v6(ip6, *net, *len))
            else {
                return (!in_v6(ip6, v6(0x2000, 0, 0), 3))
                    .then(|| "outside global unicast 2000::/3".to_string());
            };
            let bits = ip6.to_bits();
            let carried = match carries {
                Carries::Nothing => return Some(format!("{net}/{len}: {what}")),
                Carries::Low32 => bits as u32,
                Carries::Bits16To48 => (bits >> 80) as u32,
            };
            let v4 = Ipv4Addr::from_bits(carried);
            refusal_v4(v4).map(|why| format!("{net}/{len}: {what} carrying {v4}, in {why}"))
        }
    }
}

fn refusal_v4(ip: Ipv4Addr) -> Option<String> {
    SPECIAL_V4
        .iter()
        .find(|(net, len, _)| in_v4(ip, *net, *len))
        .map(|(net, len, what)| format!("{net}/{len}: {what}"))
}

/// Whether an address is public, i.e. allowed without `--allow-private`.
pub fn is_public(ip: IpAddr) -> bool {
    refusal(ip).is_none()
}

/// Special-use domain names (RFC 6761 and later) that must never reach a DNS resolver,
/// as (suffix, RFC): lookups of them fail here.
const NEVER_RESOLVED: &[(&str, &str)] = &[
    ("invalid", "RFC 6761"),
    ("onion", "RFC 7686"),
    ("alt", "RFC 9476"),
];

/// Special-use names that only local networks resolve, as (suffix, RFC): refused
/// without `--allow-private`, asked of the system resolver with it.
const LOCAL_NAMES: &[(&str, &str)] = &[
    ("test", "RFC 6761"),
    ("local", "RFC 6762"),
    ("home.arpa", "RFC 8375"),
    ("internal", "ICANN, private use"),
];

/// `suffix` is the name or one of its parent domains.
fn under(host: &str, suffix: &str) -> bool {
    host == suffix
        || host
            .strip_suffix(suffix)
            .is_some_and(|rest| rest.ends_with('.'))
}

/// Why the guard will not let the crawler reach a URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GuardError {
    /// An address (literal or carried) in a refused range.
    #[error(
        "refused: {ip} is a loopback, private or reserved address ({range}); use --allow-private for local crawls"
    )]
    Address {
        /// The address.
        ip: IpAddr,
        /// The range it is in.
        range: String,
    },
    /// A name that resolves only to refused addresses.
    #[error(
        "refused: {host} resolves only to loopback, private or reserved addresses ({addrs}); use --allow-private for local crawls"
    )]
    Resolved {
        /// The name.
        host: String,
        /// What it resolved to.
        addrs: String,
    },
    /// A special-use name only local networks resolve.
    #[error(
        "refused: {host} is a special-use name for local networks ({rfc}); use --allow-private for local crawls"
    )]
    LocalName {
        /// The name.
        host: String,
        /// Where it is reserved.
        rfc: &'static str,
    },
    /// The DNS lookup failed (or the name is one that never resolves).
    #[error("DNS lookup of {host} failed: {reason}")]
    Dns {
        /// The name.
        host: String,
        /// What the resolver said, or why it was not asked.
        reason: String,
        /// Asking again cannot help (a name reserved as never resolving).
        permanent: bool,
    },
    /// The URL has no host.
    #[error("no host in the URL")]
    NoHost,
}

impl GuardError {
    /// The guard error somewhere in an error's chain (a resolver's, inside reqwest's).
    pub fn in_chain<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a GuardError> {
        let mut cur = Some(e);
        while let Some(x) = cur {
            if let Some(g) = x.downcast_ref::<GuardError>() {
                return Some(g);
            }
            cur = x.source();
        }
        None
    }
}

/// The crawler's address policy.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// `--allow-private`: any address.
    pub allow_private: bool,
    /// Addresses allowed although not public (tests allow 127.0.0.1 only, so that a
    /// redirect to 127.0.0.2 is still refused).
    pub allow: Vec<IpAddr>,
}

impl Policy {
    /// Whether the crawler may connect to `ip`.
    pub fn permits(&self, ip: IpAddr) -> bool {
        self.allow_private || self.allow.contains(&ip) || is_public(ip)
    }

    /// Checks a URL's host before any request: an IP literal (a resolver never sees
    /// those) against the ranges, a special-use name against RFC 6761.
    pub fn check_url(&self, url: &url::Url) -> Result<(), GuardError> {
        let ip = match url.host() {
            Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
            Some(url::Host::Domain(d)) => return self.check_name(d),
            None => return Err(GuardError::NoHost),
        };
        match refusal(ip) {
            Some(range) if !self.permits(ip) => Err(GuardError::Address { ip, range }),
            _ => Ok(()),
        }
    }

    /// Settles the special-use names no resolver may be asked about.
    fn check_name(&self, name: &str) -> Result<(), GuardError> {
        let host = name.trim_end_matches('.').to_ascii_lowercase();
        if let Some((_, rfc)) = NEVER_RESOLVED.iter().find(|(s, _)| under(&host, s)) {
            return Err(GuardError::Dns {
                reason: format!("a special-use name that never resolves ({rfc}); not looked up"),
                host,
                permanent: true,
            });
        }
        match LOCAL_NAMES.iter().find(|(s, _)| under(&host, s)) {
            Some((_, rfc)) if !self.allow_private => Err(GuardError::LocalName { host, rfc }),
            _ => Ok(()),
        }
    }
}

/// Loopback, as RFC 6761 section 6.3 has `localhost` and its subdomains resolve
/// (without asking a resolver, which might send them on).
const LOCALHOST: [IpAddr; 2] = [
    IpAddr::V4(Ipv4Addr::LOCALHOST),
    IpAddr::V6(Ipv6Addr::LOCALHOST),
];

/// A DNS resolver that drops the addresses the policy refuses.
#[derive(Debug, Clone)]
pub struct GuardedResolver(pub Arc<Policy>);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0.clone();
        Box::pin(async move {
            let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
            // Every request is checked first; this repeats it in case one was not.
            policy.check_name(&host)?;
            let addrs: Vec<SocketAddr> = if under(&host, "localhost") {
                LOCALHOST.iter().map(|ip| SocketAddr::new(*ip, 0)).collect()
            } else {
                tokio::net::lookup_host((host.as_str(), 0))
                    .await
                    .map_err(|e| GuardError::Dns {
                        host: host.clone(),
                        reason: e.to_string(),
                        permanent: false,
                    })?
                    .collect()
            };
            if addrs.is_empty() {
                return Err(GuardError::Dns {
                    host,
                    reason: "no addresses".into(),
                    permanent: false,
                }
                .into());
            }
            let allowed: Vec<SocketAddr> = addrs
                .iter()
                .copied()
                .filter(|a| policy.permits(a.ip()))
                .collect();
            if allowed.is_empty() {
                let shown: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
                return Err(GuardError::Resolved {
                    host,
                    addrs: shown.join(", "),
                }
                .into());
            }
            let it: Addrs = Box::new(allowed.into_iter());
            Ok(it)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_classes() {
        let refused = [
            "127.0.0.1",
            "127.0.0.2",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "ff02::1",
            "2001:db8::1",
            "::127.0.0.1",
        ];
        for a in refused {
            let ip: IpAddr = a.parse().unwrap();
            assert!(!is_public(ip), "{a} must be refused");
        }
        for a in [
            "93.184.216.34",
            "8.8.8.8",
            "2606:2800:220:1::1",
            "::ffff:93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
        ] {
            let ip: IpAddr = a.parse().unwrap();
            assert!(is_public(ip), "{a} is public");
        }
    }

    /// Every range of the guard: one address inside (refused) and one just outside it,
    /// which must be allowed where it is itself public (None where the neighbour is in
    /// another refused range).
    const RANGES: &[(&str, &str, Option<&str>)] = &[
        ("0.0.0.0/8", "0.255.255.255", Some("1.0.0.0")),
        ("10.0.0.0/8", "10.255.255.255", Some("11.0.0.0")),
        ("100.64.0.0/10", "100.127.255.255", Some("100.128.0.0")),
        ("127.0.0.0/8", "127.255.255.255", Some("128.0.0.0")),
        ("169.254.0.0/16", "169.254.0.0", Some("169.253.255.255")),
        ("172.16.0.0/12", "172.31.255.255", Some("172.32.0.0")),
        ("192.0.0.0/24", "192.0.0.255", Some("192.0.1.0")),
        ("192.0.2.0/24", "192.0.2.255", Some("192.0.3.0")),
        ("192.31.196.0/24", "192.31.196.1", Some("192.31.197.0")),
        ("192.52.193.0/24", "192.52.193.1", Some("192.52.194.0")),
        ("192.88.99.0/24", "192.88.99.1", Some("192.88.100.0")),
        ("192.168.0.0/16", "192.168.255.255", Some("192.169.0.0")),
        ("192.175.48.0/24", "192.175.48.1", Some("192.175.49.0")),
        ("198.18.0.0/15", "198.19.255.255", Some("198.20.0.0")),
        ("198.51.100.0/24", "198.51.100.1", Some("198.51.101.0")),
        ("203.0.113.0/24", "203.0.113.1", Some("203.0.114.0")),
        ("224.0.0.0/4", "224.0.0.1", Some("223.255.255.255")),
        // Above 240/4 there is nothing; below it, multicast.
        ("240.0.0.0/4", "240.0.0.1", None),
        ("255.255.255.255/32", "255.255.255.255", None),
        // Outside 2000::/3 nothing is public but the embedding forms, so the neighbours
        // of the ranges there are refused too.
        ("::/128", "::", None),
        ("::1/128", "::1", None),
        ("::/96", "::10.0.0.1", None),
        ("::ffff:0:0/96", "::ffff:127.0.0.1", None),
        ("64:ff9b::/96", "64:ff9b::a00:1", None),
        ("64:ff9b:1::/48", "64:ff9b:1::5db8:d822", None),
        ("100::/64", "100::1", None),
        ("100:0:0:1::/64", "100:0:0:1::1", None),
        (
            "2001::/32",
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",
            Some("2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
        ),
        ("2001::/23", "2001:1ff:ffff::1", Some("2001:200::1")),
        ("2001:db8::/32", "2001:db8:ffff::1", Some("2001:db9::1")),
        ("2002::/16", "2002:c0a8:101::1", Some("2003::1")),
        (
            "2620:4f:8000::/48",
            "2620:4f:8000::1",
            Some("2620:4f:8001::1"),
        ),
        ("3fff::/20", "3fff:fff::1", Some("3fff:1000::1")),
        ("5f00::/16", "5f00::1", None),
        ("fc00::/7", "fdff::1", None),
        ("fe80::/10", "febf::1", None),
        ("fec0::/10", "fec0::1", None),
        ("ff00::/8", "ff02::1", None),
        ("outside 2000::/3", "4000::1", Some("3fff:ffff::1")),
    ];

    #[test]
    fn every_special_purpose_range_inside_refused_just_outside_allowed() {
        for (range, inside, outside) in RANGES {
            let ip: IpAddr = inside.parse().unwrap();
            assert!(!is_public(ip), "{inside} is in {range}: must be refused");
            if let Some(o) = outside {
                let ip: IpAddr = o.parse().unwrap();
                assert!(is_public(ip), "{o} is just outside {range}: public");
            }
        }
    }

    #[test]
    fn the_test_table_covers_every_range_of_the_guard() {
        let listed: Vec<(IpAddr, u8)> = RANGES
            .iter()
            .filter_map(|(r, _, _)| {
                let (net, len) = r.split_once('/')?;
                Some((net.parse().ok()?, len.parse().ok()?))
            })
            .collect();
        for (net, len, what) in SPECIAL_V4 {
            assert!(
                listed.contains(&(IpAddr::V4(*net), *len)),
                "{net}/{len} {what}"
            );
        }
        for (net, len, what, _) in SPECIAL_V6 {
            assert!(
                listed.contains(&(IpAddr::V6(*net), *len)),
                "{net}/{len} {what}"
            );
        }
    }

    #[test]
    fn refusals_name_the_range_and_the_carried_address() {
        let why = |a: &str| refusal(a.parse().unwrap()).unwrap();
        assert_eq!(why("198.18.0.1"), "198.18.0.0/15: benchmarking (RFC 2544)");
        assert_eq!(
            why("64:ff9b::7f00:1"),
            "64:ff9b::/96: NAT64 (RFC 6052) carrying 127.0.0.1, in 127.0.0.0/8: loopback (RFC 1122)"
        );
        assert!(why("2002:7f00:1::1").starts_with("2002::/16: 6to4"));
        assert!(why("2001::1").contains("Teredo"));
    }

    #[test]
    fn special_use_names_never_reach_a_resolver() {
        let p = Policy::default();
        let check = |p: &Policy, u: &str| p.check_url(&url::Url::parse(u).unwrap());
        for u in [
            "http://no-such-host.invalid/",
            "http://INVALID./",
            "http://x.onion/",
            "http://x.alt/",
        ] {
            assert!(
                matches!(
                    check(&p, u),
                    Err(GuardError::Dns {
                        permanent: true,
                        ..
                    })
                ),
                "{u}: {:?}",
                check(&p, u)
            );
        }
        for u in [
            "http://site.test/",
            "http://printer.local/",
            "http://nas.home.arpa/",
        ] {
            assert!(
                matches!(check(&p, u), Err(GuardError::LocalName { .. })),
                "{u}"
            );
        }
        let local = Policy {
            allow_private: true,
            allow: Vec::new(),
        };
        assert!(check(&local, "http://site.test/").is_ok());
        assert!(check(&local, "http://no-such-host.invalid/").is_err());
        // Names that merely end in the same letters are ordinary names.
        assert!(check(&p, "http://contest/").is_ok());
        assert!(check(&p, "http://example.travelocal/").is_ok());

        // The resolver settles them as well, asking no one.
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let resolve = |p: Policy, name: &str| {
            let r = GuardedResolver(Arc::new(p));
            rt.block_on(r.resolve(name.parse().unwrap()))
                .map(|a| a.map(|s| s.ip()).collect::<Vec<_>>())
                .map_err(|e| GuardError::in_chain(&*e).cloned())
        };
        assert!(matches!(
            resolve(Policy::default(), "no-such-host.invalid"),
            Err(Some(GuardError::Dns { .. }))
        ));
        assert!(matches!(
            resolve(Policy::default(), "app.localhost"),
            Err(Some(GuardError::Resolved { .. }))
        ));
        assert_eq!(resolve(local, "app.localhost").unwrap(), LOCALHOST.to_vec());
    }

    #[test]
    fn embedded_ipv4_is_judged_in_its_place() {
        for (a, public) in [
            // NAT64 well-known prefix (RFC 6052): the last 32 bits.
            ("64:ff9b::7f00:1", false),
            ("64:ff9b::a9fe:a9fe", false),
            ("64:ff9b::c612:1", false),
            ("64:ff9b::5db8:d822", true),
            // 6to4 (RFC 3056): bits 16 to 48.
            ("2002:7f00:1::1", false),
            ("2002:a00:1::1", false),
            ("2002:a9fe:a9fe::1", false),
            ("2002:c612:1::1", false),
            ("2002:5db8:d822::1", true),
            // IPv4-mapped.
            ("::ffff:198.18.0.1", false),
            ("::ffff:93.184.216.34", true),
        ] {
            let ip: IpAddr = a.parse().unwrap();
            assert_eq!(is_public(ip), public, "{a}");
        }
    }

    #[test]
    fn url_literals_in_every_spelling() {
        let p = Policy::default();
        // The url crate normalises these spellings of 127.0.0.1 before we see them.
        for u in [
            "http://127.0.0.1/",
            "http://2130706433/",
            "http://0177.0.0.1/",
            "http://127.1/",
            "http://0x7f.1/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::1]:8080/",
        ] {
            let url = url::Url::parse(u).unwrap();
            assert!(p.check_url(&url).is_err(), "{u}");
        }
        let only_one = Policy {
            allow_private: false,
            allow: vec!["127.0.0.1".parse().unwrap()],
        };
        assert!(
            only_one
                .check_url(&url::Url::parse("http://127.0.0.1:9/").unwrap())
                .is_ok()
        );
        assert!(
            only_one
                .check_url(&url::Url::parse("http://127.0.0.2:9/").unwrap())
                .is_err()
        );
        assert!(
            p.check_url(&url::Url::parse("https://example.com/").unwrap())
                .is_ok()
        );
    }
}
