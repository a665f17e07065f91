//! The `picture` filter: a photo as templates print it,
//! `{{ image | picture(sizes="…", class="…", eager=true) }}`, where `image`
//! is a page's or a summary's `image` (see [`super::PictureView`]). Its
//! copies in a `<picture>` when it has them, else the `<img>` as it is,
//! with its size when the build knows it. The theme's `m::picture` macro
//! is this filter; lists call it for every card, where interpreting the
//! same markup in Tera cost about as much as the rest of the card.
//!
//! Every value is escaped as Tera escapes what a template prints
//! ([`crate::theme::escape_html`]), so the markup is what the macro made
//! when it was written in Tera.

use std::collections::HashMap;

use tera::Value;

use crate::theme::escape_html;

/// The filter, registered as `picture` by the theme.
pub struct Picture;

impl tera::Filter for Picture {
    fn filter(&self, image: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
        let Some(image) = image.as_object() else {
            return Err(tera::Error::msg(
                "`picture` prints an image (page.image, or item.image of a list): \
                 test it first, `{% if page.image %}`",
            ));
        };
        let text = |map: &serde_json::Map<String, Value>, key: &str| -> String {
            map.get(key).map(printed).unwrap_or_default()
        };
        let sizes = args.get("sizes").map(printed).unwrap_or_default();
        let class = args.get("class").map(printed).unwrap_or_default();
        let eager = args.get("eager").is_some_and(truthy);
        let mut html = String::with_capacity(512);
        let class_attribute = |html: &mut String| {
            if !class.is_empty() {
                html.push_str(" class=\"");
                html.push_str(&class);
                html.push('"');
            }
        };
        let end = |html: &mut String| {
            html.push_str(" alt=\"");
            html.push_str(&text(image, "alt"));
            html.push_str(if eager {
                "\" fetchpriority=\"high\" decoding=\"async\">"
            } else {
                "\" loading=\"lazy\" decoding=\"async\">"
            });
        };
        match (image.get("picture").and_then(Value::as_object)).filter(|p| !p.is_empty()) {
            Some(p) => {
                let parts = super::markup::Parts {
                    class: &class,
                    webp_srcset: &text(p, "webp_srcset"),
                    src: &text(p, "src"),
                    srcset: &text(p, "srcset"),
                    sizes: &sizes,
                    width: &text(p, "width"),
                    height: &text(p, "height"),
                };
                super::markup::push_picture(&mut html, &parts, end);
            }
            None => {
                html.push_str("<img");
                class_attribute(&mut html);
                html.push_str(" src=\"");
                html.push_str(&text(image, "src"));
                html.push('"');
                if image.get("width").is_some_and(truthy) {
                    html.push_str(" width=\"");
                    html.push_str(&text(image, "width"));
                    html.push_str("\" height=\"");
                    html.push_str(&text(image, "height"));
                    html.push('"');
                }
                end(&mut html);
            }
        }
        Ok(Value::String(html))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// A value as `{{ value }}` prints it in an HTML template: strings
/// escaped, numbers and booleans as written, nothing for null.
fn printed(value: &Value) -> String {
    match value {
        Value::String(text) => escape_html(text),
        Value::Null => String::new(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => escape_html(&other.to_string()),
    }
}

/// Whether `{% if value %}` takes it (Tera's truthiness).
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|n| n != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use tera::{Context, Tera};

    /// The macro as the theme wrote it in Tera before this filter.
    const TERA_MACRO: &str = r#"{% macro picture(image, sizes, class="", eager=false) %}
{%- set p = image.picture -%}
{%- if p -%}
<picture{% if class %} class="{{ class }}"{% endif %}>{% if p.webp_srcset %}<source type="image/webp" srcset="{{ p.webp_srcset }}" sizes="{{ sizes }}">{% endif %}<img src="{{ p.src }}" srcset="{{ p.srcset }}" sizes="{{ sizes }}" width="{{ p.width }}" height="{{ p.height }}" alt="{{ image.alt }}"{% if eager %} fetchpriority="high"{% else %} loading="lazy"{% endif %} decoding="async"></picture>
{%- else -%}
<img{% if class %} class="{{ class }}"{% endif %} src="{{ image.src }}"{% if image.width %} width="{{ image.width }}" height="{{ image.height }}"{% endif %} alt="{{ image.alt }}"{% if eager %} fetchpriority="high"{% else %} loading="lazy"{% endif %} decoding="async">
{%- endif -%}
{% endmacro picture %}"#;

    fn images() -> Vec<serde_json::Value> {
        let picture = |webp: &str| {
            json!({
                "src": "/anh/a.720.jpg", "width": 720, "height": 480,
                "srcset": "/anh/a.360.jpg 360w, /anh/a.720.jpg 720w",
                "webp_srcset": webp,
                "og": {"url": "https://x.vn/anh/a.1200.jpg", "width": 1200, "height": 800},
                "original": "/anh/a.jpg",
            })
        };
        vec![
            json!({"src": "/anh/a.jpg", "alt": "Ảnh \"Công an\" <b>&</b> 'x'", "caption": null,
                   "picture": picture("/anh/a.360.webp 360w, /anh/a.720.webp 720w"),
                   "width": 3000, "height": 2000}),
            json!({"src": "/anh/a.webp", "alt": "", "caption": "c",
                   "picture": picture(""), "width": null, "height": null}),
            json!({"src": "/anh/hinh.svg", "alt": "Sơ đồ", "caption": null,
                   "picture": null, "width": 640, "height": 480}),
            json!({"src": "a b's.png?x=1&y=<2>", "alt": "ảnh", "caption": null,
                   "picture": null, "width": null, "height": null}),
        ]
    }

    /// The filter prints what the Tera macro printed, for every kind of
    /// image and every combination of the macro's arguments.
    #[test]
    fn prints_what_the_tera_macro_printed() {
        let mut tera = Tera::default();
        tera.set_escape_fn(crate::theme::escape_html);
        tera.register_filter("picture", super::Picture);
        let calls = [
            r#"sizes="(min-width: 48rem) 14rem, calc(100vw - 2rem)""#,
            r#"sizes="100vw", class="card-image", eager=true"#,
            r#"sizes='a"b<&>', class="", eager=false"#,
        ];
        let mut templates = vec![("macros.html".to_string(), TERA_MACRO.to_string())];
        for (n, call) in calls.iter().enumerate() {
            templates.push((
                format!("old{n}.html"),
                format!(
                    "{{% import \"macros.html\" as m %}}{{{{ m::picture(image=image, {call}) }}}}"
                ),
            ));
            templates.push((
                format!("new{n}.html"),
                format!("{{{{ image | picture({call}) }}}}"),
            ));
        }
        tera.add_raw_templates(templates).unwrap();
        for image in images() {
            let mut context = Context::new();
            context.insert("image", &image);
            for n in 0..calls.len() {
                let old = tera.render(&format!("old{n}.html"), &context).unwrap();
                let new = tera.render(&format!("new{n}.html"), &context).unwrap();
                assert_eq!(new, old, "{image}, call {n}");
                assert!(new.starts_with('<') && new.ends_with('>'), "{new}");
            }
        }
    }

    #[test]
    fn a_missing_image_is_an_error_not_a_panic() {
        let mut tera = Tera::default();
        tera.register_filter("picture", super::Picture);
        tera.add_raw_template("t.html", r#"{{ nothing | picture(sizes="1px") }}"#)
            .unwrap();
        let mut context = Context::new();
        context.insert("nothing", &serde_json::Value::Null);
        let err = tera.render("t.html", &context).unwrap_err();
        let chain = format!("{err:?}");
        assert!(chain.contains("`picture` prints an image"), "{chain}");
    }
}
