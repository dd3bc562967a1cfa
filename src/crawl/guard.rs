//! Which addresses the crawler may connect to.
//!
//! By default only public addresses: loopback, private, link-local, shared (CGNAT),
//! unspecified, multicast and documentation ranges are refused, IPv4 inside IPv6
//! included. The check runs after DNS resolution (a resolver that drops refused
//! addresses) and, for IP-literal URLs that never reach a resolver, before every request
//! and every redirect hop.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

/// Whether an address is public, i.e. allowed without `--allow-private`.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public_v4(v4);
            }
            let s = v6.segments();
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
                || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || (s[0] == 0 && s[1] == 0 && s[2] == 0 && s[3] == 0 && s[4] == 0 && s[5] == 0)) // v4-compatible ::a.b.c.d
        }
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || o[0] == 0
        || (o[0] == 100 && (o[1] & 0xc0) == 64) // shared address space 100.64/10
        || (o[0] == 192 && o[1] == 0 && o[2] == 0) // IETF protocol assignments
        || o[0] >= 240)
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

    /// Checks a URL's host when it is an IP literal (a resolver never sees those).
    pub fn check_url(&self, url: &url::Url) -> Result<(), String> {
        let ip = match url.host() {
            Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
            Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
            Some(url::Host::Domain(_)) => return Ok(()),
            None => return Err(format!("{url}: no host")),
        };
        if self.permits(ip) {
            Ok(())
        } else {
            Err(format!(
                "{url}: refused: {ip} is a loopback, private or reserved address (use --allow-private for local crawls)"
            ))
        }
    }
}

/// A DNS resolver that drops the addresses the policy refuses.
#[derive(Debug, Clone)]
pub struct GuardedResolver(pub Arc<Policy>);

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.0.clone();
        Box::pin(async move {
            let host = name.as_str().to_string();
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed: Vec<SocketAddr> = addrs
                .iter()
                .copied()
                .filter(|a| policy.permits(a.ip()))
                .collect();
            if allowed.is_empty() {
                let shown: Vec<String> = addrs.iter().map(|a| a.ip().to_string()).collect();
                let msg = format!(
                    "refused: {host} resolves only to loopback, private or reserved addresses ({}); use --allow-private for local crawls",
                    shown.join(", ")
                );
                return Err(msg.into());
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
