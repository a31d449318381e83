//! The `cert:` vocabulary (<http://www.w3.org/ns/auth/cert#>) in a WebID profile:
//! an RSA public key as `cert:key [ a cert:RSAPublicKey; cert:modulus …;
//! cert:exponent … ]`, which is how Solid apps publish a person's key
//! (docs/FORMAT.md §7.3). Sans-IO and crypto-free: numbers are big-endian bytes;
//! whether they make a usable key is the caller's business.

use std::collections::{HashMap, HashSet};

use oxrdf::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use url::Url;

use super::rdf::{iri, url_node, RdfError};
use super::vocab;

/// The fragment of solidcrypt's key node in the profile document.
pub const KEY_FRAGMENT: &str = "solidcrypt-key";

/// The only public exponent solidcrypt writes or accepts.
pub const EXPONENT: u32 = 65537;

/// solidcrypt's key node: `<profile document>#solidcrypt-key`.
pub fn key_node(webid: &Url) -> Url {
    let mut node = webid.clone();
    node.set_fragment(Some(KEY_FRAGMENT));
    node
}

/// The statements that publish a key (FORMAT.md §7.3), in a fixed order.
pub fn key_triples(webid: &Url, modulus: &[u8], spki: &Url) -> Result<Vec<Triple>, RdfError> {
    let node = url_node(key_node(webid).as_str())?;
    let hex: String = strip_zeros(modulus)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(vec![
        Triple::new(
            url_node(webid.as_str())?,
            iri(vocab::CERT_KEY),
            node.clone(),
        ),
        Triple::new(
            node.clone(),
            iri(vocab::RDF_TYPE),
            iri(vocab::CERT_RSA_PUBLIC_KEY),
        ),
        Triple::new(
            node.clone(),
            iri(vocab::CERT_MODULUS),
            Literal::new_typed_literal(hex, iri(vocab::XSD_HEX_BINARY)),
        ),
        Triple::new(
            node.clone(),
            iri(vocab::CERT_EXPONENT),
            Literal::new_typed_literal(EXPONENT.to_string(), iri(vocab::XSD_INTEGER)),
        ),
        Triple::new(node, iri(vocab::RDFS_SEE_ALSO), url_node(spki.as_str())?),
    ])
}

/// One `cert:key` of a WebID as the profile states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertKey {
    /// The key node (named or blank).
    pub node: NamedOrBlankNode,
    /// Big-endian, without leading zero bytes.
    pub modulus: Vec<u8>,
    /// `rdfs:seeAlso` IRIs of the node (where the SPKI should be).
    pub see_also: Vec<String>,
}

/// Why a `cert:key` node is not a key solidcrypt can use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CertError {
    #[error("a key in the profile has no modulus or exponent, or more than one")]
    Incomplete,
    #[error("a key's modulus in the profile is not hexadecimal ({0})")]
    BadModulus(&'static str),
    #[error("a key's exponent in the profile is “{0}”; only 65537 is accepted")]
    BadExponent(String),
}

/// Every `<webid> cert:key ?k` with its modulus checked (hex) and its exponent
/// exactly 65537. Linear in the triples (statements are grouped by subject once),
/// so a hostile profile of many keys costs no more than its size.
pub fn keys_of(triples: &[Triple], webid: &str) -> Result<Vec<CertKey>, CertError> {
    let mut nodes: Vec<NamedOrBlankNode> = Vec::new();
    let mut seen: HashSet<NamedOrBlankNode> = HashSet::new();
    let mut objects: Vec<&Term> = Vec::new();
    for t in triples {
        if t.predicate.as_str() == vocab::CERT_KEY
            && matches!(&t.subject, NamedOrBlankNode::NamedNode(s) if s.as_str() == webid)
        {
            objects.push(&t.object);
        }
    }
    for object in objects {
        let node = match object {
            Term::NamedNode(n) => NamedOrBlankNode::NamedNode(n.clone()),
            Term::BlankNode(b) => NamedOrBlankNode::BlankNode(b.clone()),
            Term::Literal(_) => continue,
        };
        if seen.insert(node.clone()) {
            nodes.push(node);
        }
    }
    let mut facts: HashMap<&NamedOrBlankNode, Facts> = HashMap::new();
    for t in triples {
        if !seen.contains(&t.subject) {
            continue;
        }
        let entry = facts.entry(&t.subject).or_default();
        match t.predicate.as_str() {
            vocab::CERT_MODULUS => entry.moduli.push(&t.object),
            vocab::CERT_EXPONENT => entry.exponents.push(&t.object),
            vocab::RDFS_SEE_ALSO => entry.see_also.push(&t.object),
            _ => {}
        }
    }
    let mut keys = Vec::with_capacity(nodes.len());
    for node in &nodes {
        let about = facts.remove(&node).unwrap_or_default();
        let ([Term::Literal(modulus)], [Term::Literal(exponent)]) =
            (about.moduli.as_slice(), about.exponents.as_slice())
        else {
            return Err(CertError::Incomplete);
        };
        if !matches!(
            modulus.datatype().as_str(),
            vocab::XSD_HEX_BINARY | vocab::XSD_STRING
        ) {
            return Err(CertError::BadModulus("not typed xsd:hexBinary"));
        }
        let modulus = unhex(modulus.value())?;
        let digits = exponent.value();
        if digits.is_empty()
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || digits.trim_start_matches('0') != EXPONENT.to_string()
        {
            return Err(CertError::BadExponent(shorten(digits)));
        }
        let see_also = about
            .see_also
            .into_iter()
            .map(|o| match o {
                Term::NamedNode(n) => n.as_str().to_owned(),
                other => other.to_string(),
            })
            .collect();
        keys.push(CertKey {
            node: node.clone(),
            modulus,
            see_also,
        });
    }
    Ok(keys)
}

/// What one key node says, as parsed.
#[derive(Default)]
struct Facts<'t> {
    moduli: Vec<&'t Term>,
    exponents: Vec<&'t Term>,
    see_also: Vec<&'t Term>,
}

/// The statements about `node`, verbatim (to delete an outdated key's).
pub fn about<'t>(triples: &'t [Triple], node: &'t NamedNode) -> impl Iterator<Item = &'t Triple> {
    triples
        .iter()
        .filter(move |t| matches!(&t.subject, NamedOrBlankNode::NamedNode(s) if s == node))
}

/// Hex digits to bytes, leading zero bytes dropped. Even length, `[0-9a-fA-F]` only.
fn unhex(text: &str) -> Result<Vec<u8>, CertError> {
    if text.is_empty() {
        return Err(CertError::BadModulus("empty"));
    }
    if !text.len().is_multiple_of(2) {
        return Err(CertError::BadModulus("odd number of digits"));
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        b'A'..=b'F' => Ok(c - b'A' + 10),
        _ => Err(CertError::BadModulus("a character is not a hex digit")),
    };
    let bytes = text
        .as_bytes()
        .chunks(2)
        .map(|pair| Ok(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect::<Result<Vec<u8>, CertError>>()?;
    Ok(strip_zeros(&bytes).to_vec())
}

fn strip_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

/// At most 40 characters of hostile text, for an error message.
fn shorten(text: &str) -> String {
    text.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pod::rdf::parse_turtle;

    const WEBID: &str = "https://alice.example/profile/card#me";

    #[test]
    fn written_statements_read_back_and_leading_zeros_are_dropped() {
        let webid = Url::parse(WEBID).unwrap();
        let spki = Url::parse("https://alice.example/solidcrypt-public/identity.pem").unwrap();
        let triples = key_triples(&webid, &[0, 0, 0xc3, 0x01], &spki).unwrap();
        assert_eq!(
            key_node(&webid).as_str(),
            "https://alice.example/profile/card#solidcrypt-key"
        );
        let keys = keys_of(&triples, WEBID).unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].modulus, [0xc3, 0x01]);
        assert_eq!(keys[0].see_also, [spki.to_string()]);
        assert!(keys_of(&triples, "https://mallory.example/#me")
            .unwrap()
            .is_empty());
    }

    #[test]
    fn a_key_with_two_moduli_or_a_typed_number_modulus_is_refused() {
        let two = r#"@prefix cert: <http://www.w3.org/ns/auth/cert#>.
<#me> cert:key [ cert:modulus "c301", "c302"; cert:exponent 65537 ]."#;
        let triples = parse_turtle(two.as_bytes(), WEBID).unwrap();
        assert_eq!(keys_of(&triples, WEBID), Err(CertError::Incomplete));
        let number = r#"@prefix cert: <http://www.w3.org/ns/auth/cert#>.
<#me> cert:key [ cert:modulus 1234; cert:exponent 65537 ]."#;
        let triples = parse_turtle(number.as_bytes(), WEBID).unwrap();
        assert_eq!(
            keys_of(&triples, WEBID),
            Err(CertError::BadModulus("not typed xsd:hexBinary"))
        );
        let plain = r#"@prefix cert: <http://www.w3.org/ns/auth/cert#>.
<#me> cert:key [ cert:modulus "00C301"; cert:exponent "065537" ]."#;
        let triples = parse_turtle(plain.as_bytes(), WEBID).unwrap();
        assert_eq!(keys_of(&triples, WEBID).unwrap()[0].modulus, [0xc3, 0x01]);
    }

    #[test]
    fn many_key_nodes_cost_linear_time() {
        let mut body = String::from("@prefix cert: <http://www.w3.org/ns/auth/cert#>.\n");
        for i in 0..20_000 {
            body.push_str(&format!(
                "<#me> cert:key <#k{i}>. <#k{i}> cert:modulus \"c3\"; cert:exponent 65537.\n"
            ));
        }
        let triples = parse_turtle(body.as_bytes(), WEBID).unwrap();
        let started = std::time::Instant::now();
        assert_eq!(keys_of(&triples, WEBID).unwrap().len(), 20_000);
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }
}
