//! `gazette new`: the arguments of each kind of page, turned into a
//! [`scaffold::Request`].

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Subcommand;
use gazette::scaffold;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    kind: Kind,
}

#[derive(Debug, clap::Args)]
struct Site {
    /// The site's folder (holding config.yaml and content/)
    #[arg(long, default_value = ".")]
    root: PathBuf,
}

#[derive(Debug, Subcommand)]
enum Kind {
    /// A news item: content/<section>/<slug>.md
    Article {
        /// The title; the file name is made from it
        title: String,
        /// A category declared in config.yaml, by slug or name
        #[arg(long)]
        category: Option<String>,
        /// The section folder
        #[arg(long, default_value = scaffold::DEFAULT_SECTION)]
        section: String,
        /// Make a bundle folder, <section>/<slug>/index.md, for images beside it
        #[arg(long)]
        bundle: bool,
        #[command(flatten)]
        site: Site,
    },
    /// A directive (văn bản): <register>/<slug>/index.md, beside its PDF
    Directive {
        /// The abstract (trích yếu), also the title; the folder name is made from it
        title: String,
        /// Số/ký hiệu, e.g. "12/2024/TT-BTTTT"; unique across the site
        #[arg(long)]
        number: String,
        /// Loại văn bản, e.g. "Thông tư"
        #[arg(long = "type", value_name = "TYPE")]
        kind: String,
        /// Cơ quan ban hành [default: config.yaml's organization name]
        #[arg(long)]
        issuer: Option<String>,
        #[command(flatten)]
        site: Site,
    },
    /// A draft for public comment: <consultations>/<slug>/index.md, open from today
    Consultation {
        /// The draft's title, e.g. "Dự thảo Thông tư quy định …"; the folder name is made from it
        title: String,
        /// Days comments stay open [default: 60]
        #[arg(long)]
        days: Option<u32>,
        /// Where comments are sent [default: config.yaml's organization email]
        #[arg(long)]
        email: Option<String>,
        #[command(flatten)]
        site: Site,
    },
    /// A plain page: content/<slug>.md
    Page {
        /// The title; the file name is made from it
        title: String,
        #[command(flatten)]
        site: Site,
    },
}

fn request(kind: Kind) -> scaffold::Request {
    let (title, root, kind) = match kind {
        Kind::Article {
            title,
            category,
            section,
            bundle,
            site,
        } => (
            title,
            site.root,
            scaffold::Kind::Article {
                section: Some(section),
                bundle,
                category,
            },
        ),
        Kind::Directive {
            title,
            number,
            kind,
            issuer,
            site,
        } => (
            title,
            site.root,
            scaffold::Kind::Directive {
                number,
                kind,
                issuer,
            },
        ),
        Kind::Consultation {
            title,
            days,
            email,
            site,
        } => (
            title,
            site.root,
            scaffold::Kind::Consultation { days, email },
        ),
        Kind::Page { title, site } => (title, site.root, scaffold::Kind::Page),
    };
    scaffold::Request {
        root,
        title,
        kind,
        now: None,
    }
}

pub fn run(args: Args) -> ExitCode {
    match scaffold::create(&request(args.kind)) {
        Ok(created) => {
            println!("Created {} → {}", created.file, created.url);
            ExitCode::SUCCESS
        }
        Err(refusal) => {
            let styled = std::io::stderr().is_terminal();
            for diagnostic in &refusal.diagnostics {
                eprintln!("{}", diagnostic.render(styled));
            }
            eprintln!("Nothing was written.");
            ExitCode::from(if refusal.usage { 2 } else { 1 })
        }
    }
}
