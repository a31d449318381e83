//! The WAC `.acl` document as a typed model (sans-IO).
//!
//! Reading keeps every statement we do not understand, so writing an ACL back never
//! drops what another app put there. Writing always keeps the owner's Read, Write and
//! Control, because a resource's own `.acl` replaces the inherited one entirely and an
//! ACL without the owner's Control can no longer be changed by anyone.

use std::collections::{BTreeSet, HashMap, HashSet};

use oxrdf::{NamedNode, NamedOrBlankNode, Term, Triple};
use url::Url;

use super::rdf::{iri, parse_turtle, to_turtle, url_node, RdfError};
use super::vocab;

/// An access mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    Read,
    Write,
    Append,
    Control,
}

impl Mode {
    /// The `acl:` IRI of the mode (WAC's `acl:mode`, ACP's `acp:allow`).
    pub(super) fn iri(self) -> &'static str {
        match self {
            Mode::Read => vocab::ACL_READ,
            Mode::Write => vocab::ACL_WRITE,
            Mode::Append => vocab::ACL_APPEND,
            Mode::Control => vocab::ACL_CONTROL,
        }
    }

    pub(super) fn from_iri(value: &str) -> Option<Mode> {
        [Mode::Read, Mode::Write, Mode::Append, Mode::Control]
            .into_iter()
            .find(|m| m.iri() == value)
    }
}

/// One `acl:Authorization`: who (agents, classes, groups) may do what (modes) to which
/// resources (`accessTo`) and, for containers, their contents (`default`). All IRIs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    /// The node naming this authorization, kept so a round-trip changes nothing.
    pub id: NamedOrBlankNode,
    pub agents: Vec<String>,
    /// E.g. [`vocab::FOAF_AGENT`] (everyone) or [`vocab::ACL_AUTHENTICATED_AGENT`].
    pub agent_classes: Vec<String>,
    pub agent_groups: Vec<String>,
    pub access_to: Vec<String>,
    pub default: Vec<String>,
    pub modes: BTreeSet<Mode>,
    /// Statements about this authorization we do not model (`acl:origin`, comments…).
    extra: Vec<(NamedNode, Term)>,
}

impl Authorization {
    /// An empty authorization named `<acl_url>#<fragment>`.
    pub fn new(acl_url: &Url, fragment: &str) -> Result<Self, RdfError> {
        let mut id = acl_url.clone();
        id.set_fragment(Some(fragment));
        Ok(Self::named(url_node(id.as_str())?.into()))
    }

    /// An empty authorization with this subject (a new one, or one being parsed).
    fn named(id: NamedOrBlankNode) -> Self {
        Authorization {
            id,
            agents: Vec::new(),
            agent_classes: Vec::new(),
            agent_groups: Vec::new(),
            access_to: Vec::new(),
            default: Vec::new(),
            modes: BTreeSet::new(),
            extra: Vec::new(),
        }
    }

    fn triples(&self) -> Result<Vec<Triple>, RdfError> {
        let id = &self.id;
        let mut out = vec![Triple::new(
            id.clone(),
            iri(vocab::RDF_TYPE),
            iri(vocab::ACL_AUTHORIZATION),
        )];
        let lists = [
            (vocab::ACL_AGENT, &self.agents),
            (vocab::ACL_AGENT_CLASS, &self.agent_classes),
            (vocab::ACL_AGENT_GROUP, &self.agent_groups),
            (vocab::ACL_ACCESS_TO, &self.access_to),
            (vocab::ACL_DEFAULT, &self.default),
        ];
        for (predicate, values) in lists {
            for value in values {
                out.push(Triple::new(id.clone(), iri(predicate), url_node(value)?));
            }
        }
        for mode in &self.modes {
            out.push(Triple::new(
                id.clone(),
                iri(vocab::ACL_MODE),
                iri(mode.iri()),
            ));
        }
        for (predicate, object) in &self.extra {
            out.push(Triple::new(id.clone(), predicate.clone(), object.clone()));
        }
        Ok(out)
    }

    /// Whether `agent` (by WebID) gets all of `modes` on `resource` from this rule.
    fn gives(&self, agent: &str, resource: &str, modes: &[Mode], inherit: bool) -> bool {
        self.agents.iter().any(|a| a == agent)
            && self.access_to.iter().any(|r| r == resource)
            && (!inherit || self.default.iter().any(|r| r == resource))
            && modes.iter().all(|m| self.modes.contains(m))
    }
}

/// A parsed `.acl` document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Acl {
    pub authorizations: Vec<Authorization>,
    /// Statements not about any authorization, kept verbatim.
    other: Vec<Triple>,
}

impl Acl {
    /// Parses an ACL document fetched from `acl_url`. Linear in the statements
    /// (each is filed under its authorization through an index, not a search), so
    /// a hostile ACL of many rules costs no more than its size.
    pub fn parse(body: &[u8], acl_url: &Url) -> Result<Acl, RdfError> {
        let triples = parse_turtle(body, acl_url.as_str())?;
        let mut acl = Acl::default();
        let mut index: HashMap<NamedOrBlankNode, usize> = HashMap::new();
        for triple in &triples {
            let is_rule = triple.predicate.as_str() == vocab::RDF_TYPE
                && matches!(&triple.object, Term::NamedNode(o) if o.as_str() == vocab::ACL_AUTHORIZATION);
            if is_rule && !index.contains_key(&triple.subject) {
                index.insert(triple.subject.clone(), acl.authorizations.len());
                acl.authorizations
                    .push(Authorization::named(triple.subject.clone()));
            }
        }
        for triple in triples {
            match index.get(&triple.subject) {
                Some(&i) => absorb(&mut acl.authorizations[i], triple.predicate, triple.object),
                None => acl.other.push(triple),
            }
        }
        Ok(acl)
    }

    /// An ACL with no rules but these statements, kept verbatim (an ACP access
    /// control this model cannot say, `acr::from_acr`).
    pub(super) fn keeping(other: Vec<Triple>) -> Acl {
        Acl {
            authorizations: Vec::new(),
            other,
        }
    }

    /// The statements kept verbatim.
    pub(super) fn other(&self) -> &[Triple] {
        &self.other
    }

    /// Serializes the ACL as Turtle.
    pub fn to_turtle(&self) -> Result<Vec<u8>, RdfError> {
        let mut triples = Vec::new();
        for auth in &self.authorizations {
            triples.extend(auth.triples()?);
        }
        triples.extend(self.other.iter().cloned());
        to_turtle(&triples)
    }

    /// Makes sure `owner` keeps Read, Write and Control on `resource` (and, for a
    /// container, on everything in it), adding an `#owner…` rule if needed.
    pub fn keep_owner(
        &mut self,
        acl_url: &Url,
        owner: &str,
        resource: &Url,
    ) -> Result<(), RdfError> {
        let is_container = resource.path().ends_with('/');
        let full = [Mode::Read, Mode::Write, Mode::Control];
        if self
            .authorizations
            .iter()
            .any(|a| a.gives(owner, resource.as_str(), &full, is_container))
        {
            return Ok(());
        }
        let mut rule = Authorization::new(acl_url, &self.free_fragment("owner"))?;
        rule.agents.push(owner.to_owned());
        rule.access_to.push(resource.as_str().to_owned());
        if is_container {
            rule.default.push(resource.as_str().to_owned());
        }
        rule.modes.extend(full);
        self.authorizations.push(rule);
        Ok(())
    }

    /// A fragment starting with `base` that no authorization uses yet. The taken
    /// ones are gathered once: an ACL of many `#owner-N` rules stays linear.
    pub fn free_fragment(&self, base: &str) -> String {
        let taken: HashSet<&str> = self
            .authorizations
            .iter()
            .filter_map(|a| match &a.id {
                NamedOrBlankNode::NamedNode(n) => n.as_str().rsplit_once('#').map(|(_, f)| f),
                NamedOrBlankNode::BlankNode(_) => None,
            })
            .collect();
        (1..)
            .map(|n| {
                if n == 1 {
                    base.to_owned()
                } else {
                    format!("{base}-{n}")
                }
            })
            .find(|c| !taken.contains(c.as_str()))
            .unwrap_or_else(|| base.to_owned())
    }
}

/// Files one statement about an authorization under the field it belongs to.
fn absorb(auth: &mut Authorization, predicate: NamedNode, object: Term) {
    let target = match (predicate.as_str(), &object) {
        (vocab::RDF_TYPE, Term::NamedNode(o)) if o.as_str() == vocab::ACL_AUTHORIZATION => return,
        (vocab::ACL_MODE, Term::NamedNode(o)) => match Mode::from_iri(o.as_str()) {
            Some(mode) => {
                auth.modes.insert(mode);
                return;
            }
            None => None,
        },
        (vocab::ACL_AGENT, Term::NamedNode(_)) => Some(&mut auth.agents),
        (vocab::ACL_AGENT_CLASS, Term::NamedNode(_)) => Some(&mut auth.agent_classes),
        (vocab::ACL_AGENT_GROUP, Term::NamedNode(_)) => Some(&mut auth.agent_groups),
        (vocab::ACL_ACCESS_TO, Term::NamedNode(_)) => Some(&mut auth.access_to),
        (vocab::ACL_DEFAULT, Term::NamedNode(_)) => Some(&mut auth.default),
        _ => None,
    };
    match (target, object) {
        (Some(list), Term::NamedNode(o)) => list.push(o.into_string()),
        (_, object) => auth.extra.push((predicate, object)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWNER: &str = "http://localhost:3000/alice/profile/card#me";

    fn acl_url() -> Url {
        Url::parse("http://localhost:3000/alice/f.txt.acl").unwrap()
    }

    fn file() -> Url {
        Url::parse("http://localhost:3000/alice/f.txt").unwrap()
    }

    #[test]
    fn round_trip_keeps_unknown_statements() {
        let body = br#"@prefix acl: <http://www.w3.org/ns/auth/acl#>.
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#>.
<#owner> a acl:Authorization; acl:agent <http://localhost:3000/alice/profile/card#me>;
  acl:accessTo <f.txt>; acl:mode acl:Read, acl:Write, acl:Control, <http://example.org/Teleport>;
  rdfs:comment "made by hand".
<#note> <http://example.org/says> "hello".
"#;
        let acl = Acl::parse(body, &acl_url()).unwrap();
        assert_eq!(acl.authorizations.len(), 1);
        assert_eq!(acl.authorizations[0].modes.len(), 3);
        let again = Acl::parse(&acl.to_turtle().unwrap(), &acl_url()).unwrap();
        assert_eq!(acl, again);
        let text = String::from_utf8(acl.to_turtle().unwrap()).unwrap();
        assert!(
            text.contains("made by hand") && text.contains("Teleport") && text.contains("hello")
        );
    }

    #[test]
    fn keep_owner_adds_full_control_only_when_missing() {
        let mut acl = Acl::default();
        let mut group = Authorization::new(&acl_url(), "group").unwrap();
        group
            .agent_groups
            .push("http://localhost:3000/alice/g.ttl#group".into());
        group.access_to.push(file().to_string());
        group.modes.insert(Mode::Read);
        acl.authorizations.push(group);
        acl.keep_owner(&acl_url(), OWNER, &file()).unwrap();
        assert_eq!(acl.authorizations.len(), 2);
        let owner = &acl.authorizations[1];
        assert_eq!(owner.agents, [OWNER]);
        assert!(owner.modes.contains(&Mode::Control));
        acl.keep_owner(&acl_url(), OWNER, &file()).unwrap();
        assert_eq!(acl.authorizations.len(), 2, "no duplicate owner rule");
        assert_eq!(acl.free_fragment("owner"), "owner-2");
    }

    #[test]
    fn container_owner_rule_also_covers_contents() {
        let folder = Url::parse("http://localhost:3000/alice/docs/").unwrap();
        let acl_url = Url::parse("http://localhost:3000/alice/docs/.acl").unwrap();
        let mut acl = Acl::default();
        acl.keep_owner(&acl_url, OWNER, &folder).unwrap();
        assert_eq!(acl.authorizations[0].default, [folder.to_string()]);
    }
}
