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
    #[error("the pod sent more RDF than solidcrypt reads in one document (over {} statements or {} MiB of terms); it may be damaged or hostile", .0.triples, .0.term_bytes >> 20)]
    TooBig(Budget),
}

/// The most one Turtle document may cost once parsed. Bytes of text alone do not
/// bound it: a prefix or a relative IRI expands in every term, so `p:a p:b p:c.`
/// can stand for megabytes of terms in a dozen bytes (and copying them is where a
/// hostile document would spend quadratic time). Every term of every triple the
/// parser produces counts, whether the caller keeps it or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    pub triples: usize,
    /// The sum of the lengths of all subjects, predicates and objects.
    pub term_bytes: usize,
}

impl Budget {
    /// Documents kept whole in memory: ACLs, profiles, groups.
    pub const DOCUMENT: Budget = Budget {
        triples: 100_000,
        term_bytes: 32 << 20,
    };
}

/// Parses a Turtle document; relative IRIs resolve against `base` (the document URL).
/// At most [`Budget::DOCUMENT`].
pub fn parse_turtle(body: &[u8], base: &str) -> Result<Vec<Triple>, RdfError> {
    let mut triples = Vec::new();
    visit_turtle(body, base, Budget::DOCUMENT, |t| triples.push(t))?;
    Ok(triples)
}

/// Streams a Turtle document's triples to `each`, so a caller that keeps only a few
/// never holds them all; stops with [`RdfError::TooBig`] once `budget` is spent.
pub fn visit_turtle(
    body: &[u8],
    base: &str,
    budget: Budget,
    mut each: impl FnMut(Triple),
) -> Result<(), RdfError> {
    let parser = TurtleParser::new()
        .with_base_iri(base)
        .map_err(|e| RdfError::Syntax(e.to_string()))?
        .for_slice(body);
    let (mut triples, mut term_bytes) = (0usize, 0usize);
    for triple in parser {
        let triple = triple.map_err(|e| RdfError::Syntax(e.to_string()))?;
        triples += 1;
        term_bytes = term_bytes.saturating_add(term_len(&triple));
        if triples > budget.triples || term_bytes > budget.term_bytes {
            return Err(RdfError::TooBig(budget));
        }
        each(triple);
    }
    Ok(())
}

/// The bytes a triple's terms take (their text; the per-term overhead is constant).
fn term_len(triple: &Triple) -> usize {
    let subject = match &triple.subject {
        NamedOrBlankNode::NamedNode(n) => n.as_str().len(),
        NamedOrBlankNode::BlankNode(b) => b.as_str().len(),
    };
    let object = match &triple.object {
        Term::NamedNode(n) => n.as_str().len(),
        Term::BlankNode(b) => b.as_str().len(),
        Term::Literal(l) => {
            l.value().len() + l.datatype().as_str().len() + l.language().map_or(0, str::len)
        }
    };
    subject + triple.predicate.as_str().len() + object
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
    n3_patch(triples, &[])
}

/// An N3 Patch that deletes `deletes` (which must all be there, or the pod refuses
/// the whole patch) and inserts `inserts`; either may be empty. Deleting needs
/// Write permission. Blank nodes cannot be deleted this way (they would be
/// variables), so `deletes` holds named nodes only.
pub fn n3_patch(inserts: &[Triple], deletes: &[Triple]) -> Result<Vec<u8>, RdfError> {
    let block = |triples: &[Triple]| -> Result<Vec<u8>, RdfError> {
        let mut out = NTriplesSerializer::new().for_writer(Vec::new());
        for triple in triples {
            out.serialize_triple(triple)
                .map_err(|e| RdfError::Serialize(e.to_string()))?;
        }
        Ok(out.finish())
    };
    let mut patch = format!(
        "@prefix solid: <{}>.\n_:patch a <{}>",
        vocab::SOLID,
        vocab::SOLID_INSERT_DELETE_PATCH,
    )
    .into_bytes();
    for (predicate, triples) in [
        (vocab::SOLID_INSERTS, inserts),
        (vocab::SOLID_DELETES, deletes),
    ] {
        if triples.is_empty() {
            continue;
        }
        patch.extend(format!(";\n  <{predicate}> {{\n").into_bytes());
        patch.extend(block(triples)?);
        patch.extend_from_slice(b"}");
    }
    patch.extend_from_slice(b".\n");
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
    fn a_prefix_that_expands_in_every_term_stops_at_the_budget() {
        // 1 MiB prefix, then triples of a few bytes each: 3 MiB of terms per triple.
        let mut body = format!("@prefix p: <http://x.example/{}>.\n", "a".repeat(1 << 20));
        for _ in 0..100 {
            body.push_str("p:a p:b p:c.\n");
        }
        let started = std::time::Instant::now();
        let result = parse_turtle(body.as_bytes(), "http://localhost:3000/f.ttl");
        assert_eq!(result, Err(RdfError::TooBig(Budget::DOCUMENT)));
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }

    #[test]
    fn deep_nesting_and_long_literals_neither_overflow_nor_take_long() {
        let depth = 50_000;
        let started = std::time::Instant::now();
        let blank = format!(
            "<s> <p> {}<o>{}.",
            "[ <p> ".repeat(depth),
            " ]".repeat(depth)
        );
        assert_eq!(
            parse_turtle(blank.as_bytes(), "http://a/").unwrap().len(),
            depth + 1
        );
        // Each level of a list is two triples (rdf:first, rdf:rest).
        let list = format!(
            "<s> <p> {}<o>{}.",
            "( ".repeat(depth / 2),
            " )".repeat(depth / 2)
        );
        assert_eq!(
            parse_turtle(list.as_bytes(), "http://a/").unwrap().len(),
            depth + 1
        );
        let literal = format!("<s> <p> \"{}\".", "x".repeat(8 << 20));
        assert_eq!(
            parse_turtle(literal.as_bytes(), "http://a/").unwrap().len(),
            1
        );
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    #[test]
    fn more_triples_than_the_budget_is_an_error() {
        let mut body = String::from("<s> <p> ");
        for i in 0..Budget::DOCUMENT.triples {
            body.push_str(&format!("<o{i}>, "));
        }
        body.push_str("<last>.");
        let result = parse_turtle(body.as_bytes(), "http://a/");
        assert_eq!(result, Err(RdfError::TooBig(Budget::DOCUMENT)));
        assert!(result
            .unwrap_err()
            .to_string()
            .contains("100000 statements"));
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

    #[test]
    fn n3_patch_with_deletes_has_both_blocks() {
        let triple = |o: &str| {
            Triple::new(
                url_node("http://localhost:3000/card#k").unwrap(),
                iri(vocab::RDF_TYPE),
                url_node(o).unwrap(),
            )
        };
        let patch = n3_patch(
            &[triple("http://a.example/new")],
            &[triple("http://a.example/old")],
        );
        let patch = String::from_utf8(patch.unwrap()).unwrap();
        let inserts = patch.find("terms#inserts> {").unwrap();
        let deletes = patch.find("terms#deletes> {").unwrap();
        assert!(inserts < patch.find("a.example/new").unwrap());
        assert!(deletes < patch.find("a.example/old").unwrap());
        assert!(patch.trim_end().ends_with("}."));
        let only =
            String::from_utf8(n3_patch(&[], &[triple("http://a.example/old")]).unwrap()).unwrap();
        assert!(!only.contains("inserts"));
    }
}
