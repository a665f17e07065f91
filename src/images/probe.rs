//! What an image file is, read from its first bytes and its header only:
//! the real format (whatever the extension says), the size as shown (EXIF
//! orientation applied) and whether it is small enough to decode at all.
//! No pixels are decoded here.

use std::io::Cursor;

use image::metadata::Orientation;
use image::{ImageDecoder, ImageFormat, ImageReader};

use super::Format;

/// An image's header, read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub format: Format,
    /// As shown: rotated by its EXIF orientation.
    pub width: u32,
    pub height: u32,
}

/// Why an image gets no derivatives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not JPEG, PNG or WebP inside, whatever its name: `found` says what.
    NotAnImage { found: Option<&'static str> },
    /// Its header cannot be read.
    Corrupt(String),
    /// It declares more pixels than `images.max_megapixels`.
    TooLarge { width: u32, height: u32 },
}

/// The format of `bytes` by their first bytes, whatever the file is called.
pub fn sniff(bytes: &[u8]) -> Result<Format, Refusal> {
    match image::guess_format(bytes) {
        Ok(ImageFormat::Jpeg) => Ok(Format::Jpeg),
        Ok(ImageFormat::Png) => Ok(Format::Png),
        Ok(ImageFormat::WebP) => Ok(Format::Webp),
        Ok(other) => Err(Refusal::NotAnImage {
            found: Some(other.extensions_str().first().copied().unwrap_or("?")),
        }),
        Err(_) => Err(Refusal::NotAnImage {
            found: other_kind(bytes),
        }),
    }
}

/// Files editors put where a photo should be.
fn other_kind(bytes: &[u8]) -> Option<&'static str> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"%PDF") {
        Some("pdf")
    } else if bytes.get(4..12).is_some_and(|b| b.starts_with(b"ftyp")) {
        Some("heic")
    } else if starts(b"PK\x03\x04") {
        Some("zip/docx")
    } else if bytes
        .iter()
        .take(256)
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'<')
    {
        Some("html/svg")
    } else {
        None
    }
}

/// Reads the header of `bytes`, refusing images beyond `max_pixels`.
pub fn header(bytes: &[u8], max_pixels: u64) -> Result<Header, Refusal> {
    let format = sniff(bytes)?;
    if format == Format::Jpeg && !jpeg_complete(bytes) {
        // The decoder would fill the missing part with grey, silently.
        return Err(Refusal::Corrupt(
            "the file ends before the image does (it was cut short)".into(),
        ));
    }
    let reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    let mut decoder = reader
        .into_decoder()
        .map_err(|err| Refusal::Corrupt(err.to_string()))?;
    let (width, height) = decoder.dimensions();
    if width == 0 || height == 0 {
        return Err(Refusal::Corrupt("it declares no pixels".into()));
    }
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(Refusal::TooLarge { width, height });
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let (width, height) = if turns_sideways(orientation) {
        (height, width)
    } else {
        (width, height)
    };
    Ok(Header {
        format,
        width,
        height,
    })
}

/// Whether a JPEG's last scan is followed by its end marker (`FF D9`),
/// which a copy cut short lacks. (Inside a scan, `FF` is always followed by
/// `00` or a restart marker, so the end marker cannot appear by chance.)
fn jpeg_complete(bytes: &[u8]) -> bool {
    let last_scan = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]);
    match last_scan {
        Some(at) => bytes[at..].windows(2).any(|w| w == [0xFF, 0xD9]),
        None => false,
    }
}

/// Whether showing an image in `orientation` swaps its width and height.
pub fn turns_sideways(orientation: Orientation) -> bool {
    matches!(
        orientation,
        Orientation::Rotate90
            | Orientation::Rotate270
            | Orientation::Rotate90FlipH
            | Orientation::Rotate270FlipH
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_what_is_not_an_image() {
        assert_eq!(
            sniff(b"%PDF-1.7 ..."),
            Err(Refusal::NotAnImage { found: Some("pdf") })
        );
        assert_eq!(
            sniff(b"  <svg xmlns='http://www.w3.org/2000/svg'/>"),
            Err(Refusal::NotAnImage {
                found: Some("html/svg")
            })
        );
        assert_eq!(
            sniff(b"GIF89a...."),
            Err(Refusal::NotAnImage { found: Some("gif") })
        );
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n"), Ok(Format::Png));
    }

    #[test]
    fn a_header_without_its_image_is_corrupt() {
        assert!(matches!(
            header(b"\xff\xd8\xff\xe0\x00\x10JFIF", 1_000_000),
            Err(Refusal::Corrupt(_))
        ));
    }
}
