//! Pictures made for tests: photo-like JPEGs with EXIF blocks.

/// A photo-like JPEG `width` × `height` (as stored), with an EXIF block
/// holding `orientation` and, when `gps`, a GPS position.
pub fn jpeg(width: u32, height: u32, orientation: u16, gps: bool) -> Vec<u8> {
    let pixels: Vec<u8> = (0..width * height)
        .flat_map(|i| {
            let (x, y) = (i % width, i / width);
            [
                (x * 255 / width) as u8,
                (y * 255 / height) as u8,
                ((x ^ y) & 0xff) as u8,
            ]
        })
        .collect();
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    image::ImageEncoder::write_image(
        encoder,
        &pixels,
        width,
        height,
        image::ExtendedColorType::Rgb8,
    )
    .unwrap();
    let exif = exif(orientation, gps);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend(((exif.len() + 2) as u16).to_be_bytes());
    segment.extend(exif);
    out.splice(2..2, segment);
    out
}

/// A little-endian EXIF block: Orientation, and a GPS IFD with "N".
fn exif(orientation: u16, gps: bool) -> Vec<u8> {
    let mut tiff = b"II*\x00\x08\x00\x00\x00".to_vec();
    let count: u16 = if gps { 2 } else { 1 };
    tiff.extend(count.to_le_bytes());
    tiff.extend(0x0112u16.to_le_bytes());
    tiff.extend(3u16.to_le_bytes());
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(u32::from(orientation).to_le_bytes());
    if gps {
        let gps_at = 8 + 2 + 12 * 2 + 4;
        tiff.extend(0x8825u16.to_le_bytes());
        tiff.extend(4u16.to_le_bytes());
        tiff.extend(1u32.to_le_bytes());
        tiff.extend((gps_at as u32).to_le_bytes());
    }
    tiff.extend(0u32.to_le_bytes());
    if gps {
        tiff.extend(1u16.to_le_bytes());
        tiff.extend(0x0001u16.to_le_bytes());
        tiff.extend(2u16.to_le_bytes());
        tiff.extend(2u32.to_le_bytes());
        tiff.extend(b"N\0\0\0");
        tiff.extend(0u32.to_le_bytes());
    }
    let mut block = b"Exif\0\0".to_vec();
    block.extend(tiff);
    block
}

/// `url 360w, …` as (url, width) pairs.
pub fn srcset(text: &str) -> Vec<(String, u32)> {
    text.split(", ")
        .map(|candidate| {
            let (url, width) = candidate.rsplit_once(' ').unwrap();
            (
                url.to_string(),
                width.trim_end_matches('w').parse().unwrap(),
            )
        })
        .collect()
}
