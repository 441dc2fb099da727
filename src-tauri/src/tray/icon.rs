//! The tray icon: Keyrack's mark, and the same with an amber dot in its top-right corner when
//! keys need attention — the one signal a user sees without opening anything. The dot is
//! painted onto the icon's pixels, so there is one icon file to keep.

use tauri::image::Image;

const TRAY_PNG: &[u8] = include_bytes!("../../../icons/tray.png");
/// Amber, readable on light and dark panels.
const DOT: [u8; 4] = [0xf5, 0x9e, 0x0b, 0xff];
/// A darker ring so the dot stands out on an amber-ish panel too.
const RING: [u8; 4] = [0x7c, 0x2d, 0x12, 0xff];

/// The plain icon.
pub fn plain() -> tauri::Result<Image<'static>> {
    Ok(Image::from_bytes(TRAY_PNG)?.to_owned())
}

/// The icon for `needs_attention` keys: plain at zero, marked otherwise.
pub fn for_count(needs_attention: usize) -> tauri::Result<Image<'static>> {
    let icon = plain()?;
    if needs_attention == 0 {
        return Ok(icon);
    }
    let (w, h) = (icon.width(), icon.height());
    Ok(Image::new_owned(marked(icon.rgba(), w, h), w, h))
}

/// `rgba` with a dot of a third of the icon's size in the top-right corner.
fn marked(rgba: &[u8], width: u32, height: u32) -> Vec<u8> {
    let mut out = rgba.to_vec();
    let size = width.min(height) as f64;
    let r = size / 6.0;
    let (cx, cy) = (width as f64 - r - 0.5, r + 0.5);
    for y in 0..height {
        for x in 0..width {
            let d = ((x as f64 + 0.5 - cx).powi(2) + (y as f64 + 0.5 - cy).powi(2)).sqrt();
            let color = if d <= r - size / 32.0 {
                DOT
            } else if d <= r {
                RING
            } else {
                continue;
            };
            let i = ((y * width + x) * 4) as usize;
            out[i..i + 4].copy_from_slice(&color);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marked_icon_differs_only_in_its_top_right_corner() {
        let plain = plain().unwrap();
        let marked = for_count(3).unwrap();
        assert_eq!(
            (marked.width(), marked.height()),
            (plain.width(), plain.height())
        );
        assert_eq!(for_count(0).unwrap().rgba(), plain.rgba());
        let (w, h) = (plain.width() as usize, plain.height() as usize);
        let px = |img: &Image<'_>, x: usize, y: usize| {
            let i = (y * w + x) * 4;
            img.rgba()[i..i + 4].to_vec()
        };
        // The dot's centre is amber; the bottom-left quarter is untouched.
        let r = w.min(h) / 6;
        assert_eq!(px(&marked, w - r - 1, r), DOT.to_vec());
        for y in h / 2..h {
            for x in 0..w / 2 {
                assert_eq!(px(&marked, x, y), px(&plain, x, y));
            }
        }
    }
}
