// Times ravif (rav1e) encoding a photo at the widths Gazette makes.
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).expect("a JPEG");
    let img = image::open(&path).expect("decode").into_rgba8();
    for width in [360u32, 720, 1200] {
        let height = img.height() * width / img.width();
        let small = image::imageops::resize(&img, width, height, image::imageops::FilterType::Triangle);
        let pixels: Vec<ravif::RGBA8> = small.pixels().map(|p| ravif::RGBA8::new(p[0], p[1], p[2], p[3])).collect();
        let buf = ravif::Img::new(pixels.as_slice(), width as usize, height as usize);
        for speed in [6u8, 10] {
            let t = Instant::now();
            let out = ravif::Encoder::new().with_quality(70.0).with_speed(speed).encode_rgba(buf).expect("encode");
            println!("{width} px speed {speed}: {:.2} s, {} bytes", t.elapsed().as_secs_f64(), out.avif_file.len());
        }
    }
}
