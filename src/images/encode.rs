//! Pixels: an image decoded (within limits), turned upright by its EXIF
//! orientation, resized and encoded again. What is encoded carries no
//! metadata: the encoders are given pixels only, so no EXIF (camera, GPS
//! position), XMP or comments reach a derivative.

use std::io::Cursor;

use fast_image_resize::images::Image;
use fast_image_resize::{FilterType, PixelType, ResizeAlg, ResizeOptions, Resizer};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};

use super::Format;

/// One size and format to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub width: u32,
    pub height: u32,
    pub format: Format,
}

/// Pixels ready to resize: 8-bit RGB, or RGBA when the image has alpha.
struct Upright {
    image: Image<'static>,
    alpha: bool,
}

/// Decodes `bytes` (of `format`), refusing to allocate more than
/// `max_alloc` bytes, and turns the result upright.
fn decode(bytes: &[u8], format: Format, max_alloc: u64) -> Result<Upright, String> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    let mut limits = Limits::default();
    limits.max_alloc = Some(max_alloc);
    limits.max_image_width = Some(u32::from(u16::MAX));
    limits.max_image_height = Some(u32::from(u16::MAX));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|err| err.to_string())?;
    // Not every decoder keeps to `max_alloc`: check the pixels it would make.
    if decoder.total_bytes() > max_alloc {
        return Err(format!(
            "decoding it needs {} MiB, over the limit of {} MiB",
            decoder.total_bytes() >> 20,
            max_alloc >> 20
        ));
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(|err| err.to_string())?;
    image.apply_orientation(orientation);
    let alpha = image.color().has_alpha();
    let (width, height) = (image.width(), image.height());
    let (buffer, pixel_type) = if alpha {
        (image.into_rgba8().into_raw(), PixelType::U8x4)
    } else {
        (image.into_rgb8().into_raw(), PixelType::U8x3)
    };
    let image = Image::from_vec_u8(width, height, buffer, pixel_type).map_err(|e| e.to_string())?;
    Ok(Upright { image, alpha })
}

/// The encoded bytes of each target, in the order given. Targets of one
/// width share one resize; each width is resized from the next larger
/// one (Lanczos3), which keeps the work small for several widths.
pub fn derive(
    bytes: &[u8],
    format: Format,
    targets: &[Target],
    quality: u8,
    max_alloc: u64,
) -> Result<Vec<Vec<u8>>, String> {
    let upright = decode(bytes, format, max_alloc)?;
    let mut order: Vec<usize> = (0..targets.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(targets[i].width));
    let mut resizer = Resizer::new();
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    let mut out: Vec<Option<Vec<u8>>> = vec![None; targets.len()];
    let mut current = upright.image;
    for i in order {
        let target = targets[i];
        if current.width() != target.width || current.height() != target.height {
            let mut smaller = Image::new(target.width, target.height, current.pixel_type());
            resizer
                .resize(&current, &mut smaller, &options)
                .map_err(|err| err.to_string())?;
            current = smaller;
        }
        out[i] = Some(encode(&current, upright.alpha, target.format, quality)?);
    }
    Ok(out.into_iter().flatten().collect())
}

fn encode(image: &Image, alpha: bool, format: Format, quality: u8) -> Result<Vec<u8>, String> {
    let (width, height, pixels) = (image.width(), image.height(), image.buffer());
    let color = if alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    let mut out = Vec::new();
    match format {
        Format::Jpeg => {
            // JPEG has no alpha; a JPEG source never has any.
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
            image::ImageEncoder::write_image(encoder, pixels, width, height, color)
                .map_err(|err| err.to_string())?;
        }
        Format::Png => {
            // Screenshots, mostly: the best compression, since a resized
            // one has more colours than its original and compresses worse.
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Best,
                image::codecs::png::FilterType::Adaptive,
            );
            image::ImageEncoder::write_image(encoder, pixels, width, height, color)
                .map_err(|err| err.to_string())?;
        }
        Format::Webp | Format::WebpLossless => {
            let encoder = if alpha {
                webp::Encoder::from_rgba(pixels, width, height)
            } else {
                webp::Encoder::from_rgb(pixels, width, height)
            };
            let mut config =
                webp::WebPConfig::new().map_err(|()| "cannot set up the WebP encoder")?;
            config.quality = f32::from(quality);
            if format == Format::WebpLossless {
                config.lossless = 1;
                config.quality = 75.0;
            }
            let memory = encoder
                .encode_advanced(&config)
                .map_err(|err| format!("WebP: {err:?}"))?;
            out.extend_from_slice(&memory);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let pixels: Vec<u8> = (0..width * height * 3).map(|i| (i % 251) as u8).collect();
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
        out
    }

    #[test]
    fn makes_each_size_and_format() {
        let targets = [
            Target {
                width: 40,
                height: 20,
                format: Format::Webp,
            },
            Target {
                width: 100,
                height: 50,
                format: Format::Jpeg,
            },
            Target {
                width: 40,
                height: 20,
                format: Format::Jpeg,
            },
        ];
        let out = derive(&jpeg(200, 100), Format::Jpeg, &targets, 80, 1 << 28).unwrap();
        assert_eq!(out.len(), 3);
        for (bytes, target) in out.iter().zip(&targets) {
            let image = image::load_from_memory(bytes).unwrap();
            assert_eq!(
                (image.width(), image.height()),
                (target.width, target.height)
            );
            assert_eq!(
                image::guess_format(bytes).unwrap(),
                target.format.image_format()
            );
        }
    }

    #[test]
    fn refuses_beyond_its_memory() {
        let err = derive(&jpeg(200, 100), Format::Jpeg, &[], 80, 1000).unwrap_err();
        assert!(err.to_lowercase().contains("limit"), "{err}");
    }
}
