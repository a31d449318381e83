//! `Link` header parsing (RFC 8288), enough for Solid: the ACL (`rel="acl"`), types
//! (`rel="type"`) and the storage description. Targets are resolved against the
//! request URL because servers may send relative references.

use url::Url;

/// One link from a `Link` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub target: Url,
    /// Relation types, lower-cased (a `rel` parameter may hold several).
    pub rels: Vec<String>,
}

/// Parses a (possibly joined) `Link` header value. Malformed entries are skipped
/// rather than failing the whole response.
pub fn parse_links(header: &str, base: &Url) -> Vec<Link> {
    let mut links = Vec::new();
    let mut rest = header;
    while let Some(open) = rest.find('<') {
        let Some(close) = rest[open..].find('>').map(|i| open + i) else {
            break;
        };
        let target = &rest[open + 1..close];
        let (params, next) = split_params(&rest[close + 1..]);
        rest = next;
        let Ok(target) = base.join(target) else {
            continue;
        };
        let rels = param_values(params, "rel")
            .flat_map(|v| v.split_ascii_whitespace().map(str::to_ascii_lowercase))
            .collect();
        links.push(Link { target, rels });
    }
    links
}

/// The first link target with relation `rel`.
pub fn find_rel<'l>(links: &'l [Link], rel: &str) -> Option<&'l Url> {
    links
        .iter()
        .find(|l| l.rels.iter().any(|r| r.eq_ignore_ascii_case(rel)))
        .map(|l| &l.target)
}

/// Splits `; rel="x"; title="a, b", <next>…` into this link's parameters and the rest,
/// honouring quotes so a comma inside a quoted value does not end the link.
fn split_params(text: &str) -> (&str, &str) {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => return (&text[..i], &text[i + 1..]),
            _ => {}
        }
    }
    (text, "")
}

fn param_values<'t>(params: &'t str, name: &'t str) -> impl Iterator<Item = &'t str> + 't {
    params.split(';').filter_map(move |param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().trim_matches('"'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_css_style_links() {
        let base = Url::parse("http://localhost:3000/alice/file.txt").unwrap();
        let header = r#"<http://www.w3.org/ns/ldp#Resource>; rel="type", <file.txt.acl>; rel="acl", <http://localhost:3000/.well-known/solid>; rel="http://www.w3.org/ns/solid/terms#storageDescription""#;
        let links = parse_links(header, &base);
        assert_eq!(links.len(), 3);
        assert_eq!(
            find_rel(&links, "acl").unwrap().as_str(),
            "http://localhost:3000/alice/file.txt.acl"
        );
        assert_eq!(
            find_rel(&links, "type").unwrap().as_str(),
            "http://www.w3.org/ns/ldp#Resource"
        );
    }

    #[test]
    fn quoted_commas_and_multiple_rels() {
        let base = Url::parse("https://pod.example/").unwrap();
        let links = parse_links(
            r#"<a>; title="x, y"; rel="acl describedby", <b>; rel=type"#,
            &base,
        );
        assert_eq!(links.len(), 2);
        assert_eq!(links[0].rels, ["acl", "describedby"]);
        assert_eq!(
            find_rel(&links, "type").unwrap().as_str(),
            "https://pod.example/b"
        );
    }
}
