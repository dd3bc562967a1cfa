//! The decision table: pairs of reports and what one is to the other, and the grouping
//! that follows from each decision.

use super::*;

/// A report written compactly: `platform countries figure object date page`.
/// Platform `!x` is a negated report; countries `IR+RU` or `-`; figure `2617`, `>2600`
/// (more than), `>=1000` (at least), `~130` (about), `<800` (nearly), `<=500` (up to) or
/// `?` (vague); date `2019-01-31`, or `p:2019-02-01` for an undated claim on a page
/// published that day.
fn row(spec: &str) -> ClaimRow {
    let parts: Vec<&str> = spec.split_whitespace().collect();
    let [platform, countries, figure, object, date, page] = parts[..] else {
        panic!("bad row {spec:?}");
    };
    let (negated, platform) = match platform.strip_prefix('!') {
        Some(p) => (true, p),
        None => (false, platform),
    };
    let family = match platform {
        "facebook" | "instagram" | "meta" | "whatsapp" => "meta",
        "google" | "youtube" => "google",
        p => p,
    };
    let (qualifier, n) = [
        (">=", Qualifier::AtLeast),
        ("<=", Qualifier::UpTo),
        (">", Qualifier::MoreThan),
        ("~", Qualifier::About),
        ("<", Qualifier::Nearly),
    ]
    .iter()
    .find_map(|(p, q)| figure.strip_prefix(p).map(|n| (*q, n)))
    .unwrap_or((Qualifier::Exact, figure));
    let (qualifier, count) = if n == "?" {
        (Qualifier::Vague, None)
    } else {
        (qualifier, Some(n.parse().unwrap()))
    };
    let (date, published) = match date.strip_prefix("p:") {
        Some(p) => (None, Some(p.to_string())),
        None => (NaiveDate::parse_from_str(date, "%Y-%m-%d").ok(), None),
    };
    ClaimRow {
        id: format!("{page}:{spec}"),
        platform: platform.into(),
        family: family.into(),
        countries: if countries == "-" {
            Vec::new()
        } else {
            countries.split('+').map(str::to_string).collect()
        },
        object: object.replace('_', " "),
        count,
        qualifier,
        date,
        negated,
        url: Some(format!("https://{page}.example/story")),
        published,
        evidence: spec.into(),
        snapshot: page.into(),
        targets: Vec::new(),
        site: None,
        primary: false,
        versions: Vec::new(),
        page: None,
    }
}

use Relation::{Conflict as C, Different as D, Part as P, Same as S};

/// (why, report a, report b, decision).
const TABLE: &[(&str, &str, &str, Relation)] = &[
    // The same takedown.
    (
        "one figure, two outlets",
        "twitter IR 2617 accounts 2019-01-31 a",
        "twitter IR 2617 accounts 2019-01-31 b",
        S,
    ),
    (
        "more than 4,000 holds 4,258",
        "facebook AE >4000 accounts 2020-10-08 a",
        "facebook AE 4258 accounts 2020-10-08 b",
        S,
    ),
    (
        "about 130 holds 130",
        "twitter EG ~130 accounts 2020-04-02 a",
        "twitter EG 130 accounts 2020-04-02 b",
        S,
    ),
    (
        "a rounded 7,700 is 7,704",
        "facebook RU 7700 accounts 2021-05-06 a",
        "facebook RU 7704 accounts 2021-05-06 b",
        S,
    ),
    (
        "nearly 24,000 holds 23,750",
        "twitter CN <24000 accounts 2020-06-11 a",
        "twitter CN 23750 accounts 2020-06-11 b",
        S,
    ),
    (
        "five days apart",
        "twitter SA 5929 accounts 2019-09-20 a",
        "twitter SA 5929 accounts 2019-09-25 b",
        S,
    ),
    (
        "undated report of the next day, over a month end",
        "twitter IR 2617 accounts 2019-01-31 a",
        "twitter IR 2617 accounts p:2019-02-01 b",
        S,
    ),
    (
        "undated report two days later",
        "twitter IR 2617 accounts 2019-01-21 a",
        "twitter IR 2617 accounts p:2019-01-23 b",
        S,
    ),
    (
        "Instagram and Facebook are one company",
        "instagram RU 50 accounts 2019-10-21 a",
        "facebook RU 50 accounts 2019-10-21 b",
        S,
    ),
    (
        "objects sharing a noun",
        "facebook IR+RU+MK+XK 2632 pages,_groups_and_accounts 2019-03-26 a",
        "facebook IR+RU+MK+XK >2600 accounts_and_pages 2019-03-26 b",
        S,
    ),
    (
        "two denials",
        "!whatsapp IR ? activity 2019-01-31 a",
        "!whatsapp IR ? activity 2019-01-31 b",
        S,
    ),
    (
        "at least 1,000 holds 1,196",
        "twitter VE >=1000 accounts 2019-06-13 a",
        "twitter VE 1196 accounts 2019-06-13 b",
        S,
    ),
    (
        "up to 500 holds 450",
        "tiktok RO <=500 accounts 2024-11-29 a",
        "tiktok RO 450 accounts 2024-11-29 b",
        S,
    ),
    (
        "about 1.5 million holds 1.4 million",
        "facebook - ~1500000 accounts 2019-05-23 a",
        "facebook - 1400000 accounts 2019-05-23 b",
        S,
    ),
    (
        "the same lower bound twice",
        "twitter SA >88000 accounts 2019-12-20 a",
        "twitter SA >88000 accounts 2019-12-20 b",
        S,
    ),
    (
        "a round 2,000 is 2,050",
        "facebook TH 2000 accounts 2020-03-02 a",
        "facebook TH 2050 accounts 2020-03-02 b",
        S,
    ),
    (
        "one page saying it twice",
        "twitter IR 238 accounts 2021-02-23 a",
        "twitter IR 238 accounts 2021-02-23 a",
        S,
    ),
    (
        "a five-day-old undated report",
        "microsoft IR 99 websites p:2019-03-27 a",
        "microsoft IR 99 websites 2019-03-27 b",
        S,
    ),
    (
        "YouTube and Google are one company",
        "youtube CN 2596 channels 2020-08-05 a",
        "google CN 2596 channels 2020-08-05 b",
        S,
    ),
    // A network inside a total.
    (
        "one country of four",
        "facebook RU 1907 pages,_groups_and_accounts 2019-03-26 a",
        "facebook IR+RU+MK+XK 2632 pages,_groups_and_accounts 2019-03-26 b",
        P,
    ),
    (
        "more than 1,900 of Russia's",
        "facebook RU >1900 pages,_groups_and_accounts 2019-03-26 a",
        "facebook IR+RU+MK+XK 2632 pages,_groups_and_accounts 2019-03-26 b",
        P,
    ),
    (
        "two countries of four",
        "facebook MK+XK 212 pages,_groups_and_accounts 2019-03-26 a",
        "facebook IR+RU+MK+XK 2632 pages,_groups_and_accounts 2019-03-26 b",
        P,
    ),
    (
        "a part of a hedged total",
        "facebook IR 513 pages,_groups_and_accounts 2019-03-26 a",
        "facebook IR+RU+MK+XK >2600 pages,_groups_and_accounts 2019-03-26 b",
        P,
    ),
    (
        "China in a three-country total",
        "twitter CN 23750 accounts 2020-06-11 a",
        "twitter CN+RU+TR 32242 accounts 2020-06-11 b",
        P,
    ),
    (
        "Turkey in a three-country total",
        "twitter TR 7340 accounts 2020-06-11 a",
        "twitter CN+RU+TR 32242 accounts 2020-06-11 b",
        P,
    ),
    (
        "a part on another page",
        "twitter RU 1152 accounts 2020-06-11 a",
        "twitter CN+RU+TR 32242 accounts 2020-06-12 b",
        P,
    ),
    // The same network, a figure that cannot be reconciled.
    (
        "a transposed total",
        "facebook IR+RU+MK+XK 2362 pages,_groups_and_accounts 2019-03-26 a",
        "facebook IR+RU+MK+XK 2632 pages,_groups_and_accounts 2019-03-26 b",
        C,
    ),
    (
        "a transposed figure",
        "facebook AE 4528 accounts 2020-10-08 a",
        "facebook AE 4258 accounts 2020-10-08 b",
        C,
    ),
    (
        "783 against 652",
        "facebook IR 783 accounts 2019-01-31 a",
        "facebook IR 652 accounts 2019-01-31 b",
        C,
    ),
    (
        "238 against 250",
        "twitter IR 238 accounts 2021-02-23 a",
        "twitter IR 250 accounts 2021-02-23 b",
        C,
    ),
    (
        "about 800 against 600",
        "facebook IR ~800 accounts 2019-01-31 a",
        "facebook IR 600 accounts 2019-01-31 b",
        C,
    ),
    (
        "nearly 24,000 against 26,000",
        "twitter CN <24000 accounts 2020-06-11 a",
        "twitter CN 26000 accounts 2020-06-11 b",
        C,
    ),
    (
        "more than 88,000 against 80,000",
        "twitter SA >88000 accounts 2019-12-20 a",
        "twitter SA 80000 accounts 2019-12-20 b",
        C,
    ),
    (
        "about 130 against 200",
        "twitter EG ~130 accounts 2020-04-02 a",
        "twitter EG 200 accounts 2020-04-02 b",
        C,
    ),
    // Another takedown.
    (
        "one figure, two countries",
        "twitter IR 2617 accounts 2019-01-31 a",
        "twitter VE 2617 accounts 2019-01-31 b",
        D,
    ),
    (
        "one figure, two companies",
        "twitter IR 2617 accounts 2019-01-31 a",
        "facebook IR 2617 accounts 2019-01-31 b",
        D,
    ),
    (
        "three weeks apart",
        "twitter SA 5929 accounts 2019-09-01 a",
        "twitter SA 5929 accounts 2019-09-22 b",
        D,
    ),
    (
        "another network sixteen times smaller",
        "facebook AE 271 accounts 2020-10-08 a",
        "facebook AE 4258 accounts 2020-10-08 b",
        D,
    ),
    (
        "two networks on one page",
        "facebook IR 263 accounts 2019-03-26 a",
        "facebook IR 513 accounts 2019-03-26 a",
        D,
    ),
    (
        "a transposed figure on the same page",
        "facebook IR+RU+MK+XK 2362 pages 2019-03-26 a",
        "facebook IR+RU+MK+XK 2632 pages 2019-03-26 a",
        D,
    ),
    (
        "domains are not accounts",
        "microsoft RU 66 domains 2024-10-03 a",
        "microsoft RU 66 accounts 2024-10-03 b",
        D,
    ),
    (
        "a denial is not a takedown",
        "!whatsapp IR ? activity 2019-01-31 a",
        "whatsapp IR ? activity 2019-01-31 b",
        D,
    ),
    (
        "a 'part' larger than its total",
        "facebook RU 1952 accounts 2019-03-26 a",
        "facebook IR+RU 1900 accounts 2019-03-26 b",
        D,
    ),
    (
        "country sets that only overlap",
        "twitter IR+RU 500 accounts 2020-06-11 a",
        "twitter RU+CN 500 accounts 2020-06-11 b",
        D,
    ),
    (
        "a vague report has no figure to agree with",
        "facebook AE ? accounts 2020-10-08 a",
        "facebook AE 4258 accounts 2020-10-08 b",
        D,
    ),
    (
        "pages are not accounts",
        "facebook IR 158 pages 2019-03-26 a",
        "facebook IR 263 accounts 2019-03-26 b",
        D,
    ),
    (
        "three days over a month end (the documented price of blocking)",
        "twitter VE 1196 accounts 2019-03-30 a",
        "twitter VE 1196 accounts p:2019-04-02 b",
        D,
    ),
];

#[test]
fn the_decision_table_holds_for_every_pair() {
    assert!(TABLE.len() >= 40, "{} pairs", TABLE.len());
    let mut wrong = Vec::new();
    for (why, a, b, want) in TABLE {
        let (a, b) = (row(a), row(b));
        for (x, y) in [(&a, &b), (&b, &a)] {
            let got = relate(x, y);
            if got != *want {
                wrong.push(format!("{why}: want {want:?}, got {got:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn grouping_follows_each_decision() {
    for (why, a, b, want) in TABLE {
        let (a, b) = (row(a), row(b));
        if a.id == b.id {
            continue;
        }
        let facts = facts(&[a.clone(), b.clone()]);
        match want {
            Relation::Same => {
                assert_eq!(facts.len(), 1, "{why}: {facts:#?}");
                assert_eq!(facts[0].source_count, 2, "{why}");
            }
            Relation::Conflict => {
                assert_eq!(facts.len(), 2, "{why}: {facts:#?}");
                for f in &facts {
                    assert_eq!(f.conflicts.len(), 1, "{why}: {f:#?}");
                }
            }
            Relation::Part | Relation::Different => {
                assert_eq!(facts.len(), 2, "{why}: {facts:#?}");
                assert!(
                    facts.iter().all(|f| f.conflicts.is_empty()),
                    "{why}: {facts:#?}"
                );
            }
        }
    }
}

#[test]
fn intervals_agree_as_the_design_says() {
    let iv = |n, q| interval(Some(n), q).unwrap();
    assert!(overlaps(
        iv(1196, Qualifier::Exact),
        iv(1000, Qualifier::MoreThan)
    ));
    assert!(!overlaps(
        iv(783, Qualifier::Exact),
        iv(652, Qualifier::Exact)
    ));
    assert!(overlaps(
        iv(800, Qualifier::Nearly),
        iv(783, Qualifier::Exact)
    ));
    assert!(!overlaps(
        iv(800, Qualifier::Nearly),
        iv(801, Qualifier::Exact)
    ));
    assert!(overlaps(
        iv(1_500_000, Qualifier::About),
        iv(1_400_000, Qualifier::Exact)
    ));
    assert_eq!(interval(None, Qualifier::Vague), None);
    // Round figures are read as rounded, by at most 5%.
    assert_eq!(iv(7700, Qualifier::Exact), (7650, Some(7750)));
    assert_eq!(iv(7704, Qualifier::Exact), (7704, Some(7704)));
    assert_eq!(iv(130, Qualifier::Exact), (130, Some(130)));
    assert_eq!(iv(100, Qualifier::Exact), (95, Some(105)));
    assert!(is_precise(iv(4258, Qualifier::Exact)));
    assert!(is_precise(iv(800, Qualifier::About)));
    assert!(!is_precise(iv(88_000, Qualifier::MoreThan)));
    assert!(!is_precise(iv(500, Qualifier::UpTo)));
    assert!(contains(
        iv(4000, Qualifier::MoreThan),
        iv(4258, Qualifier::Exact)
    ));
}

#[test]
fn objects() {
    assert!(objects_compatible(
        "pages, groups and accounts",
        "accounts and Pages"
    ));
    assert!(objects_compatible("accounts", "Accounts"));
    assert!(!objects_compatible("domains", "accounts"));
}

#[test]
fn a_report_naming_no_country_joins_the_fact_whose_figure_it_nearly_names() {
    let rows = [
        row("facebook IR+RU+MK+XK 2632 pages,_groups_and_accounts 2019-03-26 a"),
        row("facebook IR+RU+MK+XK 2632 pages,_groups_and_accounts 2019-03-26 b"),
        row("facebook RU 1907 pages,_groups_and_accounts 2019-03-26 a"),
        row("facebook - >2600 pages,_groups_and_accounts 2019-03-26 c"),
        row("facebook - >100 accounts 2019-03-26 d"),
    ];
    let facts = facts(&rows);
    let total = facts.iter().find(|f| f.count == Some(2632)).unwrap();
    assert_eq!(total.source_count, 3, "{total:#?}");
    assert_eq!(total.countries, ["IR", "MK", "RU", "XK"]);
    let vague = facts.iter().find(|f| f.count == Some(100)).unwrap();
    assert_eq!(
        vague.source_count, 1,
        "a bound that fits anything joins nothing"
    );
    assert!(vague.countries.is_empty());
    assert_eq!(facts.len(), 3);
}

/// Facts grouped one set of claims at a time, the sets being those [`may_meet`]
/// connects, are the facts of all claims grouped at once. Checked on random reports
/// crowded into a few blocks.
#[test]
fn grouping_what_may_meet_apart_gives_the_whole_grouping() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for round in 0..300 {
        let rows = crowded(&mut seed);
        let reach: Vec<Reach> = rows.iter().map(Reach::of).collect();
        let mut set: Vec<usize> = (0..rows.len()).collect();
        fn root(set: &mut [usize], mut i: usize) -> usize {
            while set[i] != i {
                set[i] = set[set[i]];
                i = set[i];
            }
            i
        }
        for i in 0..rows.len() {
            for j in 0..i {
                if may_meet(&reach[i], &reach[j]) {
                    let (a, b) = (root(&mut set, i), root(&mut set, j));
                    set[a] = b;
                }
            }
        }
        let mut parts: BTreeMap<usize, Vec<ClaimRow>> = BTreeMap::new();
        for (i, r) in rows.iter().enumerate() {
            parts.entry(root(&mut set, i)).or_default().push(r.clone());
        }
        let apart: Vec<Fact> = parts.values().flat_map(|p| facts(p)).collect();
        assert_eq!(
            by_id(apart),
            by_id(facts(&rows)),
            "round {round}: {} sets",
            parts.len()
        );
    }
}

/// Random reports crowded into a few blocks, for the properties below.
fn crowded(seed: &mut u64) -> Vec<ClaimRow> {
    let platforms = ["facebook", "instagram", "twitter", "!facebook"];
    let countries = ["-", "-", "IR", "RU", "IR+RU"];
    let figures = [
        "100", "130", "~130", "200", "400", "1000", ">1000", ">=1000", "1050", "2600", ">2600",
        "2632", "<2700", "<=3000", "4000", ">4000", "4258", "4528", "7700", "7704", "?",
    ];
    let objects = ["accounts", "pages", "pages,_groups_and_accounts", "domains"];
    let mut pick = |n: usize| {
        *seed ^= *seed << 13;
        *seed ^= *seed >> 7;
        *seed ^= *seed << 17;
        (*seed % n as u64) as usize
    };
    let mut rows: Vec<ClaimRow> = Vec::new();
    for _ in 0..(5 + pick(40)) {
        let day = 1 + pick(30);
        let date = match pick(3) {
            0 => format!("p:2019-03-{day:02}"),
            1 if day == 30 => "p:2019-04-01".to_string(),
            _ => format!("2019-03-{:02}", day.min(28)),
        };
        let spec = format!(
            "{} {} {} {} {date} {}",
            platforms[pick(platforms.len())],
            countries[pick(countries.len())],
            figures[pick(figures.len())],
            objects[pick(objects.len())],
            ["a", "b", "c", "d", "e"][pick(5)],
        );
        let r = row(&spec);
        if rows.iter().all(|o| o.id != r.id) {
            rows.push(r);
        }
    }
    rows
}

fn by_id(mut v: Vec<Fact>) -> Vec<Fact> {
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

/// The facts as the index stores them: without conflicts, which are found when read.
fn stored(mut v: Vec<Fact>) -> Vec<Fact> {
    for f in &mut v {
        f.conflicts.clear();
    }
    by_id(v)
}

/// Each fact's conflicts found as a read finds them, from the stored facts of its
/// block alone.
fn conflicts_as_read(v: &[Fact]) -> Vec<(String, Vec<Conflict>)> {
    let mut out: Vec<_> = v
        .iter()
        .map(|me| {
            let others: Vec<Figure> = v
                .iter()
                .filter(|o| o.id != me.id && o.grouping.block == me.grouping.block)
                .map(Fact::figure)
                .collect();
            (me.id.clone(), conflicts_among(&me.figure(), &others))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A commit that adds some reports and replaces others, with the facts of the claims it
/// does not reach kept as they were and only those [`scope`] returns rewritten, gives the
/// stored facts of a whole regrouping; and the conflicts found on reading those are the
/// whole grouping's.
#[test]
fn a_commit_regrouping_its_scope_gives_the_whole_grouping() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut conflicts = 0;
    for round in 0..1000 {
        let rows = crowded(&mut seed);
        let n = rows.len();
        // The first two thirds were committed; every fifth of those is replaced.
        let committed = &rows[..n * 2 / 3];
        let added: Vec<&ClaimRow> = rows[n * 2 / 3..].iter().collect();
        let replaced: Vec<&ClaimRow> = committed.iter().step_by(5).collect();
        let live: Vec<ClaimRow> = committed
            .iter()
            .filter(|r| replaced.iter().all(|x| x.id != r.id))
            .cloned()
            .collect();
        let before = stored(facts(committed));
        let seeds: Vec<&ClaimRow> = added.iter().chain(&replaced).copied().collect();
        let got = scope::<()>(&seeds, |_, reach| {
            Ok(live
                .iter()
                .map(|c| (c.clone(), Reach::of(c)))
                .filter(|(_, r)| may_group(reach, r))
                .collect())
        })
        .unwrap();
        let rewrite: HashSet<&str> = got
            .iter()
            .map(|r| r.id.as_str())
            .chain(seeds.iter().map(|r| r.id.as_str()))
            .collect();
        let holds = |f: &Fact| f.sources.iter().any(|s| rewrite.contains(s.claim.as_str()));
        let mut regrouped: Vec<ClaimRow> = got.clone();
        regrouped.extend(added.iter().map(|r| (*r).clone()));
        let mut after: Vec<Fact> = before.into_iter().filter(|f| !holds(f)).collect();
        after.extend(stored(facts(&regrouped)).into_iter().filter(|f| holds(f)));
        let mut all = live.clone();
        all.extend(added.iter().map(|r| (*r).clone()));
        let whole = by_id(facts(&all));
        let after = by_id(after);
        assert_eq!(after, stored(whole.clone()), "round {round}");
        let read = conflicts_as_read(&after);
        let want: Vec<_> = whole
            .iter()
            .map(|f| (f.id.clone(), f.conflicts.clone()))
            .collect();
        assert_eq!(read, want, "round {round}");
        conflicts += want.iter().filter(|(_, c)| !c.is_empty()).count();
    }
    assert!(
        conflicts > 50,
        "only {conflicts} facts with conflicts: the test misses them"
    );
}
