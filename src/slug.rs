//! URL words from Vietnamese text: "Bộ Công an đẩy mạnh" → `bo-cong-an-day-manh`.

/// Folds diacritics (đ → d, ơ → o, …), lowercases, and joins words with `-`.
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese() {
        assert_eq!(slugify("Bộ Công an đẩy mạnh"), "bo-cong-an-day-manh");
        assert_eq!(slugify("Đường ơi, Ưu tiên!"), "duong-oi-uu-tien");
        assert_eq!(slugify("  Chuyển đổi số  "), "chuyen-doi-so");
        assert_eq!(slugify("07/2008/CT-BCA(E11)"), "07-2008-ct-bca-e11");
    }
}
