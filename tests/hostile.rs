//! Pages built to hurt the parser: each is extracted from what fits, never a hang or
//! a panic. (How long they take is measured in the benchmark, not asserted here.)

use takedowns::extract::{self, Options};

fn extract_ok(html: &str) -> extract::Article {
    extract::extract(html.as_bytes(), &Options::default()).expect("hostile page extracts")
}

#[test]
fn deep_and_misnested_markup_is_cut_before_the_parser() {
    let sentence =
        "<p>Twitter said it suspended 2,617 accounts in Iran on Thursday, the company wrote.</p>";
    let cases = [
        (
            "100k unclosed divs",
            format!("{}{sentence}", "<div>".repeat(100_000)),
        ),
        (
            "100k nested divs",
            format!(
                "{sentence}{}{}",
                "<div>".repeat(100_000),
                "</div>".repeat(100_000)
            ),
        ),
        (
            "4000 misnested b/i",
            format!("{sentence}<p>{}", "<b><i>w</b></i>".repeat(4000)),
        ),
        (
            "100k attributes",
            format!(
                "<div {}>{sentence}</div>",
                (0..100_000)
                    .map(|k| format!("a{k}=\"v\" "))
                    .collect::<String>()
            ),
        ),
    ];
    for (name, html) in cases {
        let a = extract_ok(&html);
        assert!(a.gate.changed(), "{name}: the gate should have acted");
        let head: String = a.body.chars().take(200).collect();
        assert!(
            a.body.contains("2,617 accounts") || name == "100k attributes",
            "{name}: {head}"
        );
    }
}

#[test]
fn oversized_page_is_extracted_from_what_fits() {
    let limits = extract::Limits {
        max_bytes: 1 << 20,
        ..extract::Limits::default()
    };
    let para = "<p>Facebook removed 783 Pages, Groups and accounts tied to Iran, the company said on Thursday.</p>\n";
    let html = format!(
        "<html><body><article>{}</article></body></html>",
        para.repeat(30_000)
    );
    let a = extract::extract(
        html.as_bytes(),
        &Options {
            limits,
            ..Options::default()
        },
    )
    .expect("extracts");
    assert!(a.gate.truncated);
    assert!(
        a.body.len() > 500_000 && a.body.len() < 1 << 20,
        "{}",
        a.body.len()
    );
}

#[test]
fn invalid_utf8_and_nul_bytes_decode_without_loss_of_the_sentence() {
    let mut bytes = b"<html><body><p>Twitter suspended 2,617 accounts in Iran \xff\xfe on Thursday, the company said.</p>".to_vec();
    bytes.extend_from_slice(
        b"<p>A NUL \0 byte sits in this paragraph of the story text here.</p></body></html>",
    );
    let a = extract::extract(&bytes, &Options::default()).expect("extracts");
    assert!(a.body.contains("2,617 accounts"), "{}", a.body);
}

#[test]
fn huge_numbers_in_text_are_just_text() {
    let a = extract_ok(
        "<p>Twitter suspended 99999999999999999999 accounts and 1e309 bots in Iran, the company said on Thursday.</p>",
    );
    assert!(a.body.contains("99999999999999999999"));
}
