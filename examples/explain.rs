//! Prints the body scorer's decisions for one page: `cargo run --example explain PAGE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: explain PAGE.html[.gz]");
        std::process::exit(1);
    };
    let opts = takedowns::extract::Options::default();
    match takedowns::extract::read_page(std::path::Path::new(&path), &opts.limits) {
        Ok(bytes) => print!("{}", takedowns::extract::explain(&bytes, &opts)),
        Err(e) => eprintln!("{e}"),
    }
}
