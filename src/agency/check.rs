//! Validation of the agency's lists: required fields, the units' parents
//! (known, and no unit above itself), phone numbers and email addresses.
//! Every problem is located at the item, or the field, that has it.

use std::collections::HashMap;
use std::path::Path;

use super::{Agency, Contact, Leader, RawAgency, RawContact, RawLeader, RawUnit, Unit};
use crate::diagnostic::Diagnostic;
use crate::slug::slugify;

/// The front matter's text, to locate problems in.
pub struct Source<'a> {
    pub text: &'a str,
    /// The file line the front matter starts on.
    pub yaml_line: usize,
    pub file: &'a Path,
}

/// The page's agency list, or `None` when it has none or it has errors;
/// every problem found.
pub fn validate(raw: RawAgency, source: &Source) -> (Option<Agency>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let given: Vec<&str> = [
        ("units", raw.units.is_some()),
        ("leaders", raw.leaders.is_some()),
        ("contacts", raw.contacts.is_some()),
    ]
    .into_iter()
    .filter_map(|(key, present)| present.then_some(key))
    .collect();
    if given.len() > 1 {
        let list = List::new(source, given[1]);
        problems.push(
            list.problem(
                None,
                None,
                format!(
                    "one page lists either `{}` or `{}`, not both",
                    given[0], given[1]
                ),
            )
            .with_hint("put each list on a page of its own: organisation, leaders, contacts"),
        );
        return (None, problems);
    }
    let agency = if let Some(units) = raw.units {
        units_of(units, &List::new(source, "units"), &mut problems).map(Agency::Units)
    } else if let Some(leaders) = raw.leaders {
        leaders_of(leaders, &List::new(source, "leaders"), &mut problems).map(Agency::Leaders)
    } else if let Some(contacts) = raw.contacts {
        contacts_of(contacts, &List::new(source, "contacts"), &mut problems).map(Agency::Contacts)
    } else {
        None
    };
    let failed = problems.iter().any(Diagnostic::is_error);
    (agency.filter(|_| !failed), problems)
}

/// A text field with something in it.
fn filled(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn units_of(raw: Vec<RawUnit>, list: &List, problems: &mut Vec<Diagnostic>) -> Option<Vec<Unit>> {
    let mut units = Vec::with_capacity(raw.len());
    let mut parents = Vec::with_capacity(raw.len());
    for (i, unit) in raw.into_iter().enumerate() {
        let Some(name) = filled(unit.name) else {
            problems.push(list.missing(i, "name", "the unit has no `name`", "name: Vụ Pháp chế"));
            continue;
        };
        let id = match filled(unit.id) {
            Some(id) if !crate::config::is_slug(&id) => {
                problems.push(
                    list.problem(
                        Some(i),
                        Some("id"),
                        format!("the unit's `id` must be a URL word, not `{id}`"),
                    )
                    .with_hint(format!("write it as `{}`", slugify(&id))),
                );
                id
            }
            Some(id) => id,
            None => slugify(&name),
        };
        let url = filled(unit.url);
        if let Some(url) = url.as_deref().filter(|u| !is_link(u)) {
            problems.push(
                list.problem(
                    Some(i),
                    Some("url"),
                    format!("the unit's `url` `{url}` is not a link"),
                )
                .with_hint("write a site path such as `/gioi-thieu/` or a web address `https://…`"),
            );
        }
        parents.push((i, filled(unit.parent)));
        units.push(Unit {
            id,
            name,
            parent: None,
            head: filled(unit.head),
            function: filled(unit.function),
            url,
        });
    }
    // Items without a name are left out: `parents[k].0` is the item of
    // unit `k`, where its problems are located.
    let item = |unit: usize| Some(parents[unit].0);
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    for (index, unit) in units.iter().enumerate() {
        if let Some(&first) = by_key.get(unit.id.as_str()) {
            problems.push(
                list.problem(
                    item(index),
                    Some("id"),
                    format!("two units have the id `{}`", unit.id),
                )
                .with_hint(format!(
                    "the first is item {} (`{}`); give one of them another `id:`",
                    parents[first].0 + 1,
                    units[first].name
                )),
            );
        }
        by_key.entry(unit.id.as_str()).or_insert(index);
    }
    for (index, unit) in units.iter().enumerate() {
        by_key.entry(unit.name.as_str()).or_insert(index);
    }
    let mut resolved = vec![None; units.len()];
    for (index, (_, parent)) in parents.iter().enumerate() {
        let Some(parent) = parent else { continue };
        match by_key.get(parent.as_str()) {
            Some(&found) if found == index => problems.push(
                list.problem(
                    item(index),
                    Some("parent"),
                    "a unit cannot be its own parent".into(),
                )
                .with_hint("leave `parent:` out for a unit at the top"),
            ),
            Some(&found) => resolved[index] = Some(found),
            None => problems.push(
                list.problem(
                    item(index),
                    Some("parent"),
                    format!("no unit has the id or name `{parent}`"),
                )
                .with_hint(nearest_unit(parent, &units)),
            ),
        }
    }
    for (index, parent) in resolved.iter().enumerate() {
        units[index].parent = *parent;
    }
    for index in 0..units.len() {
        if above_itself(&units, index) {
            problems.push(
                list.problem(
                    item(index),
                    Some("parent"),
                    format!(
                        "the unit `{}` is placed under itself through its parents",
                        units[index].name
                    ),
                )
                .with_hint("one of the units in that circle must have another `parent:`, or none"),
            );
        }
    }
    Some(units)
}

/// Whether following the parents from `start` comes back to it.
fn above_itself(units: &[Unit], start: usize) -> bool {
    let mut at = units[start].parent;
    for _ in 0..units.len() {
        match at {
            Some(i) if i == start => return true,
            Some(i) => at = units[i].parent,
            None => return false,
        }
    }
    false
}

fn nearest_unit(parent: &str, units: &[Unit]) -> String {
    let nearest = units
        .iter()
        .flat_map(|u| [u.id.as_str(), u.name.as_str()])
        .map(|known| (strsim::normalized_levenshtein(parent, known), known))
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .filter(|(score, _)| *score >= 0.5);
    match nearest {
        Some((_, known)) => format!("did you mean `{known}`? Write the `id` or the `name` of a unit of this list"),
        None => "write the `id` or the `name` of a unit of this list, or leave `parent:` out for a unit at the top".into(),
    }
}

fn leaders_of(
    raw: Vec<RawLeader>,
    list: &List,
    problems: &mut Vec<Diagnostic>,
) -> Option<Vec<Leader>> {
    let mut leaders = Vec::with_capacity(raw.len());
    for (i, leader) in raw.into_iter().enumerate() {
        let name = filled(leader.name);
        let title = filled(leader.title);
        if name.is_none() {
            problems.push(list.missing(
                i,
                "name",
                "the leader has no `name`",
                "name: Nguyễn Văn A",
            ));
        }
        if title.is_none() {
            problems.push(list.missing(
                i,
                "title",
                "the leader has no `title`",
                "title: Thứ trưởng",
            ));
        }
        let photo = filled(leader.photo);
        if let Some(photo) = photo.as_deref().filter(|p| p.contains(':') && !is_link(p)) {
            problems.push(
                list.problem(
                    Some(i),
                    Some("photo"),
                    format!("the photo `{photo}` is not a file of the page or a web address"),
                )
                .with_hint("write a file name beside the page, e.g. `nguyen-van-a.jpg`"),
            );
        }
        if let (Some(name), Some(title)) = (name, title) {
            leaders.push(Leader {
                name,
                title,
                portfolio: filled(leader.portfolio),
                photo,
                bio: filled(leader.bio),
            });
        }
    }
    Some(leaders)
}

fn contacts_of(
    raw: Vec<RawContact>,
    list: &List,
    problems: &mut Vec<Diagnostic>,
) -> Option<Vec<Contact>> {
    let mut contacts = Vec::with_capacity(raw.len());
    for (i, contact) in raw.into_iter().enumerate() {
        let unit = filled(contact.unit);
        if unit.is_none() {
            problems.push(list.missing(
                i,
                "unit",
                "the contact has no `unit`",
                "unit: Văn phòng Bộ",
            ));
        }
        let phone = filled(contact.phone);
        let email = filled(contact.email);
        if phone.is_none() && email.is_none() {
            problems.push(
                list.problem(
                    Some(i),
                    None,
                    "the contact has neither `phone` nor `email`".into(),
                )
                .with_hint("add a line `phone: 024 3943 7260` or `email: vanphong@example.gov.vn`"),
            );
        }
        let tel = phone.as_deref().and_then(super::tel);
        if let (Some(phone), None) = (&phone, &tel) {
            problems.push(
                list.problem(Some(i), Some("phone"), format!("`{phone}` is not a phone number"))
                    .with_hint("write 8 to 15 digits, spaces, dots or dashes between them allowed, e.g. `024 3943 7260` or `+84 24 3943 7260`; put an extension in `position:`"),
            );
        }
        if let Some(email) = email.as_deref().filter(|e| !super::is_email(e)) {
            problems.push(
                list.problem(
                    Some(i),
                    Some("email"),
                    format!("`{email}` is not an email address"),
                )
                .with_hint("write it as `name@example.gov.vn`, without spaces"),
            );
        }
        if let Some(unit) = unit {
            contacts.push(Contact {
                unit,
                person: filled(contact.person),
                position: filled(contact.position),
                phone,
                tel,
                email,
            });
        }
    }
    Some(contacts)
}

/// A site path or an http(s) address.
fn is_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with('/') || lower.starts_with("https://") || lower.starts_with("http://")
}

/// Where a list's items and their fields are in the file.
struct List<'a> {
    source: &'a Source<'a>,
    key: &'static str,
    /// The file line of `key:`.
    key_line: usize,
    /// The file line each item starts on.
    items: Vec<usize>,
}

impl<'a> List<'a> {
    fn new(source: &'a Source<'a>, key: &'static str) -> Self {
        let lines: Vec<&str> = source.text.lines().collect();
        let first = source.yaml_line.saturating_sub(1);
        let key_index = (first..lines.len()).find(|&i| {
            lines[i]
                .strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        });
        let mut items = Vec::new();
        if let Some(k) = key_index {
            let mut indent = None;
            for (i, line) in lines.iter().enumerate().skip(k + 1) {
                let trimmed = line.trim_start();
                if trimmed.is_empty() || trimmed.starts_with('#') {
                    continue;
                }
                let this = line.len() - trimmed.len();
                if line.trim_end() == "---" || (this == 0 && !trimmed.starts_with('-')) {
                    break;
                }
                if trimmed.starts_with('-') && *indent.get_or_insert(this) == this {
                    items.push(i + 1);
                }
            }
        }
        List {
            source,
            key,
            key_line: key_index.map_or(source.yaml_line, |k| k + 1),
            items,
        }
    }

    /// A problem at `field` of item `item` (at the item when the field is
    /// not written, at the list when the item cannot be found).
    fn problem(&self, item: Option<usize>, field: Option<&str>, message: String) -> Diagnostic {
        let text = self.source.text;
        let start = item.and_then(|i| self.items.get(i).copied());
        let end = item
            .and_then(|i| self.items.get(i + 1).copied())
            .unwrap_or(usize::MAX);
        let at_field = start.zip(field).and_then(|(start, field)| {
            text.lines()
                .enumerate()
                .skip(start - 1)
                .take_while(|(i, _)| i + 1 < end)
                .find_map(|(i, line)| {
                    let needle = format!("{field}:");
                    let byte = line.find(&needle)?;
                    let before = &line[..byte];
                    let clean = before.ends_with([' ', '{', ',', '-']);
                    (clean || before.is_empty()).then(|| {
                        let after = &line[byte + needle.len()..];
                        let gap = after.len() - after.trim_start().len();
                        (i + 1, line[..byte + needle.len() + gap].chars().count() + 1)
                    })
                })
        });
        let (line, column) = at_field
            .or_else(|| {
                start.map(|line| {
                    let text_line = text.lines().nth(line - 1).unwrap_or("");
                    (line, text_line.len() - text_line.trim_start().len() + 1)
                })
            })
            .unwrap_or((self.key_line, 1));
        let what = match item {
            Some(i) => format!("`{}` item {}: {message}", self.key, i + 1),
            None => message,
        };
        Diagnostic::error(what)
            .in_file(self.source.file)
            .at(text, line, column)
    }

    fn missing(&self, item: usize, field: &str, message: &str, example: &str) -> Diagnostic {
        self.problem(Some(item), None, message.into())
            .with_hint(format!(
                "add a line `{example}` to the item (`{field}` is required)"
            ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source<'_> {
        Source {
            text,
            yaml_line: 2,
            file: Path::new("content/x.md"),
        }
    }

    #[test]
    fn items_are_found_in_block_and_flow_style() {
        let text = "---\ntitle: A\nunits:\n  - name: A\n    head: B\n\n  - { name: C }\n# note\n- name: D\nother: 1\n---\n";
        let src = source(text);
        let list = List::new(&src, "units");
        assert_eq!(list.key_line, 3);
        assert_eq!(list.items, vec![4, 7]);
        let d = list.problem(Some(0), Some("head"), "x".into());
        assert_eq!(d.location().unwrap(), "content/x.md:5:11");
        let d = list.problem(Some(1), Some("head"), "x".into());
        assert_eq!(d.location().unwrap(), "content/x.md:7:3");
    }

    #[test]
    fn a_circle_of_parents_is_found() {
        let unit = |parent| Unit {
            id: String::new(),
            name: String::new(),
            parent,
            head: None,
            function: None,
            url: None,
        };
        assert!(above_itself(&[unit(Some(1)), unit(Some(0))], 0));
        assert!(!above_itself(&[unit(None), unit(Some(0))], 1));
    }
}
