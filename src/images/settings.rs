//! `images:` in config.yaml: the widths and quality of derivatives, the
//! limits that keep a build's memory bounded, and where the cache lives.

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, locate_key};

/// How photos are resized, as written in config.yaml (every key optional).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, default)]
pub struct ImagesConfig {
    /// Make derivatives at all; `false` publishes images as they are.
    pub enabled: bool,
    /// Widths in CSS pixels; an image is never made wider than it is.
    pub widths: Vec<u32>,
    /// JPEG and lossy WebP quality, 1–100.
    pub quality: u8,
    /// Also offer a WebP copy of each size (smaller; every current browser).
    pub webp: bool,
    /// Images declaring more pixels than this are refused unread: a
    /// decompression bomb, or a photo far larger than any screen.
    pub max_megapixels: u32,
    /// Roughly how much memory decoding may use at once, in MiB; images
    /// wait for their share, so a build of thousands of photos stays small.
    pub memory_mib: u32,
    /// The cache folder, relative to the site's folder; never inside
    /// `content/`, the theme or the output.
    pub cache: String,
    /// `sizes` of images in bodies: how wide the theme shows them. The
    /// default fits the portal theme's column (46rem, the full width of a
    /// phone less its margins).
    pub body_sizes: String,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            enabled: true,
            widths: vec![360, 720, 1200],
            quality: 80,
            webp: true,
            max_megapixels: 100,
            memory_mib: 1024,
            cache: ".gazette-cache/images".into(),
            body_sizes: "(min-width: 48rem) 46rem, calc(100vw - 2rem)".into(),
        }
    }
}

/// Folders the cache may not be in: what the site is built from.
const SOURCE_FOLDERS: [&str; 5] = ["content", "templates", "themes", "static", "i18n"];

impl ImagesConfig {
    /// The problems of these settings, located in config.yaml's `text`.
    pub fn problems(&self, text: &str) -> Vec<Diagnostic> {
        let at = |message: String, key: &str| {
            let d = Diagnostic::error(message).in_file(crate::config::FILE_NAME);
            match locate_key(text, key) {
                Some((line, column)) => d.at(text, line, column),
                None => d,
            }
        };
        let mut problems = Vec::new();
        if self.widths.is_empty() || self.widths.iter().any(|&w| !(16..=8192).contains(&w)) {
            problems.push(
                at(
                    "`images.widths` needs widths between 16 and 8192 pixels".into(),
                    "widths",
                )
                .with_hint("e.g. `widths: [360, 720, 1200]`"),
            );
        }
        if !(1..=100).contains(&self.quality) {
            problems.push(at(
                "`images.quality` must be between 1 and 100".into(),
                "quality",
            ));
        }
        if self.max_megapixels == 0 || self.memory_mib < 64 {
            problems.push(
                at(
                    "`images.max_megapixels` must be at least 1 and `images.memory_mib` at least 64"
                        .into(),
                    "images",
                )
                .with_hint("the defaults are 100 megapixels and 1024 MiB"),
            );
        }
        let cache = std::path::Path::new(&self.cache);
        let first = cache
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str());
        if cache.is_absolute()
            || self.cache.split('/').any(|part| part == "..")
            || first.is_none_or(|f| SOURCE_FOLDERS.contains(&f) || f == "public")
        {
            problems.push(
                at(
                    format!(
                        "`images.cache` must be a folder inside the site's folder, outside content/, the theme and public/, not `{}`",
                        self.cache
                    ),
                    "cache",
                )
                .with_hint("the default is `.gazette-cache/images`"),
            );
        }
        problems
    }

    /// The widths to make of an image `width` pixels wide: the configured
    /// ones below nine tenths of it, and the image's own width in place of
    /// the larger ones (never upscaled), smallest first. Resizing by a few
    /// per cent only blurs, and makes a screenshot's copy larger in bytes
    /// than the original (a 1280 px screenshot gets 360, 720 and 1280).
    pub fn widths_for(&self, width: u32) -> Vec<u32> {
        let near = |w: u32| within_a_tenth(w, width);
        let mut widths: Vec<u32> = self.widths.iter().copied().filter(|&w| !near(w)).collect();
        if self.widths.iter().any(|&w| near(w)) {
            widths.push(width);
        }
        widths.sort_unstable();
        widths.dedup();
        widths
    }

    /// What the bytes of a derivative depend on besides its source.
    pub(super) fn fingerprint(&self) -> String {
        format!(
            "gazette-images-2 widths={:?} quality={} webp={}",
            self.widths, self.quality, self.webp
        )
    }
}

/// Whether `width` is at least nine tenths of `of`: near enough to be
/// made at (or taken for) `of` instead.
pub(super) fn within_a_tenth(width: u32, of: u32) -> bool {
    u64::from(width) * 10 >= u64::from(of) * 9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_upscales() {
        let config = ImagesConfig::default();
        assert_eq!(config.widths_for(4000), [360, 720, 1200]);
        assert_eq!(config.widths_for(1000), [360, 720, 1000]);
        assert_eq!(config.widths_for(720), [360, 720]);
        assert_eq!(config.widths_for(200), [200]);
        // Within a tenth of a configured width: the image's own.
        assert_eq!(config.widths_for(1280), [360, 720, 1280]);
        assert_eq!(config.widths_for(1334), [360, 720, 1200]);
        assert_eq!(config.widths_for(760), [360, 760]);
    }

    #[test]
    fn refuses_a_cache_among_the_sources() {
        for bad in ["content/cache", "/tmp/x", "../x", "public/x", "themes"] {
            let config = ImagesConfig {
                cache: bad.into(),
                ..ImagesConfig::default()
            };
            assert_eq!(config.problems("").len(), 1, "{bad}");
        }
        assert!(ImagesConfig::default().problems("").is_empty());
    }
}
