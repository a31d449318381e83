//! Turtle in and out through oxttl: parsing what the pod sends, and serializing what
//! we write so IRIs and literals are always escaped correctly (never string-built).

use oxrdf::{NamedNode, NamedOrBlankNode, Term, Triple};
use oxttl::{NTriplesSerializer, TurtleParser, TurtleSerializer};

use super::vocab;

/// RDF the pod sent could not be read, or ours could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RdfError {
    #[error("the pod sent Turtle that could not be read: {0}")]
    Syntax(String),
    #[error("could not write Turtle: {0}")]
    Serialize(String),
}

/// Parses a Turtle document; relative IRIs resolve against `base` (the document URL).
pub fn parse_turtle(body: &[u8], base: &str) -> Result<Vec<Triple>, RdfError> {
    TurtleParser::new()
        .with_base_iri(base)
        .map_err(|e| RdfError::Syntax(e.to_string()))?
        .for_slice(body)
        .map(|t| t.map_err(|e| RdfError::Syntax(e.to_string())))
        .collect()
}

/// Serializes triples as Turtle with the usual Solid prefixes.
pub fn to_turtle(triples: &[Triple]) -> Result<Vec<u8>, RdfError> {
    let serialize = || -> Result<Vec<u8>, Box<dyn std::error::Error>> {
        let mut writer = TurtleSerializer::new()
            .with_prefix("acl", vocab::ACL)?
            .with_prefix("foaf", vocab::FOAF)?
            .with_prefix("vcard", vocab::VCARD)?
            .with_prefix("ldp", vocab::LDP)?
            .for_writer(Vec::new());
        for triple in triples {
            writer.serialize_triple(triple)?;
        }
        Ok(writer.finish()?)
    };
    serialize().map_err(|e| RdfError::Serialize(e.to_string()))
}

/// An N3 Patch (`text/n3`) that only inserts `triples`. Only the fixed patch frame is
/// literal text; the triples go through oxttl's N-Triples serializer, which escapes
/// every term. Inserting needs only Append permission on the target.
pub fn n3_insert_patch(triples: &[Triple]) -> Result<Vec<u8>, RdfError> {
    let mut inserts = NTriplesSerializer::new().for_writer(Vec::new());
    for triple in triples {
        inserts
            .serialize_triple(triple)
            .map_err(|e| RdfError::Serialize(e.to_string()))?;
    }
    let mut patch = format!(
        "@prefix solid: <{}>.\n_:patch a <{}>;\n  <{}> {{\n",
        vocab::SOLID,
        vocab::SOLID_INSERT_DELETE_PATCH,
        vocab::SOLID_INSERTS
    )
    .into_bytes();
    patch.extend(inserts.finish());
    patch.extend_from_slice(b"}.\n");
    Ok(patch)
}

/// A named node from one of our vocabulary constants (known to be valid IRIs).
pub fn iri(value: &str) -> NamedNode {
    NamedNode::new_unchecked(value)
}

/// A named node from a URL that came from the pod or the user, checked.
pub fn url_node(value: &str) -> Result<NamedNode, RdfError> {
    NamedNode::new(value).map_err(|e| RdfError::Serialize(format!("“{value}”: {e}")))
}

/// Objects of `subject predicate ?o` that are IRIs.
pub fn objects<'t>(
    triples: &'t [Triple],
    subject: &'t str,
    predicate: &'t str,
) -> impl Iterator<Item = &'t str> + 't {
    triples
        .iter()
        .filter_map(move |t| match (&t.subject, &t.object) {
            (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o))
                if s.as_str() == subject && t.predicate.as_str() == predicate =>
            {
                Some(o.as_str())
            }
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turtle_round_trip_keeps_triples() {
        let body = br#"@prefix acl: <http://www.w3.org/ns/auth/acl#>.
<#owner> a acl:Authorization; acl:agent <https://a.example/card#me>; <http://example.org/note> "x \"quoted\"".
"#;
        let triples = parse_turtle(body, "http://localhost:3000/f.acl").unwrap();
        assert_eq!(triples.len(), 3);
        let again = parse_turtle(&to_turtle(&triples).unwrap(), "http://other/").unwrap();
        assert_eq!(triples, again);
    }

    #[test]
    fn n3_patch_is_valid_n3_with_escaped_terms() {
        let triple = Triple::new(
            url_node("http://localhost:3000/g.ttl#group").unwrap(),
            iri(vocab::VCARD_HAS_MEMBER),
            url_node("http://localhost:3000/bob/profile/card#me").unwrap(),
        );
        let patch = String::from_utf8(n3_insert_patch(&[triple]).unwrap()).unwrap();
        assert!(patch.contains("solid:InsertDeletePatch") || patch.contains("InsertDeletePatch"));
        assert!(patch.contains(
            "<http://localhost:3000/g.ttl#group> <http://www.w3.org/2006/vcard/ns#hasMember> <http://localhost:3000/bob/profile/card#me> ."
        ));
        assert!(url_node("not a url").is_err());
    }
}
