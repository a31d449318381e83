//! The same access rules for a pod that uses Access Control Policies (ACP: Inrupt
//! ESS, Community Solid Server's `file-acp` config) instead of WAC (sans-IO).
//!
//! Why: such a pod points `Link rel="acl"` at an Access Control Resource, and an
//! ACR holding WAC statements means nothing there — the folder the app meant to
//! make owner-only, or the inbox meant to take posts from anyone, would get no
//! policy at all. The app keeps one model of rules ([`Acl`]); this writes it as
//! an ACR: each authorization becomes an `acp:AccessControl` applying one
//! `acp:Policy` that allows its modes to any of its agents (an `acp:Matcher` per
//! agent, `acp:PublicAgent` for everyone, `acp:AuthenticatedAgent` for anyone
//! logged in), on the resource itself (`accessTo`: `acp:accessControl`) and on
//! what a container holds (`default`: `acp:memberAccessControl`).
//!
//! ACP has no groups: a rule for a WAC group (what link sharing grants) cannot be
//! written, and is refused before anything is sent. Note that ACP adds the
//! member rules of every container above: an ACR can grant, never take away.

use std::collections::HashSet;

use oxrdf::{BlankNode, NamedOrBlankNode, Term, Triple};
use url::Url;

use super::acl::{Acl, Authorization, Mode};
use super::rdf::{iri, parse_turtle, to_turtle, url_node, RdfError};
use super::vocab;

const ACP: &str = "http://www.w3.org/ns/solid/acp#";

/// Writing the rules as an ACR failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AcrError {
    #[error("this pod uses Access Control Policies (ACP), which have no groups: sharing by link needs a pod with Web Access Control (WAC)")]
    Groups,
    #[error(transparent)]
    Rdf(#[from] RdfError),
}

/// Whether `acl_url`, a resource's `Link rel="acl"`, is an ACP Access Control
/// Resource by the names servers give them: Community Solid Server's `….acr`,
/// Inrupt ESS's `?ext=acr`.
pub fn is_acr(acl_url: &Url) -> bool {
    acl_url.path().ends_with(".acr") || acl_url.query_pairs().any(|(k, v)| k == "ext" && v == "acr")
}

fn acp(term: &str) -> oxrdf::NamedNode {
    iri(&format!("{ACP}{term}"))
}

/// `acl` as the Turtle of the ACR at `acr_url` for `resource`.
pub fn to_acr(acl: &Acl, acr_url: &Url, resource: &Url) -> Result<Vec<u8>, AcrError> {
    let mut root = acr_url.clone();
    root.set_fragment(Some("root"));
    let root: NamedOrBlankNode = url_node(root.as_str())?.into();
    let mut triples = vec![
        Triple::new(
            root.clone(),
            iri(vocab::RDF_TYPE),
            acp("AccessControlResource"),
        ),
        Triple::new(root.clone(), acp("resource"), url_node(resource.as_str())?),
    ];
    for (n, rule) in acl.authorizations.iter().enumerate() {
        if !rule.agent_groups.is_empty() {
            return Err(AcrError::Groups);
        }
        let on_resource = rule.access_to.iter().any(|r| r == resource.as_str());
        let on_members = rule.default.iter().any(|r| r == resource.as_str());
        if !(on_resource || on_members) || rule.modes.is_empty() {
            continue;
        }
        let mut control = acr_url.clone();
        control.set_fragment(Some(&format!("control-{n}")));
        let control: NamedOrBlankNode = url_node(control.as_str())?.into();
        let policy: NamedOrBlankNode = BlankNode::default().into();
        let matcher: NamedOrBlankNode = BlankNode::default().into();
        triples.push(Triple::new(
            control.clone(),
            iri(vocab::RDF_TYPE),
            acp("AccessControl"),
        ));
        triples.push(Triple::new(control.clone(), acp("apply"), policy.clone()));
        triples.push(Triple::new(
            policy.clone(),
            iri(vocab::RDF_TYPE),
            acp("Policy"),
        ));
        for mode in &rule.modes {
            triples.push(Triple::new(policy.clone(), acp("allow"), iri(mode.iri())));
        }
        triples.push(Triple::new(policy, acp("anyOf"), matcher.clone()));
        triples.push(Triple::new(
            matcher.clone(),
            iri(vocab::RDF_TYPE),
            acp("Matcher"),
        ));
        for agent in &rule.agents {
            triples.push(Triple::new(matcher.clone(), acp("agent"), url_node(agent)?));
        }
        for class in &rule.agent_classes {
            let agent = match class.as_str() {
                vocab::FOAF_AGENT => acp("PublicAgent"),
                vocab::ACL_AUTHENTICATED_AGENT => acp("AuthenticatedAgent"),
                // A class ACP cannot say: nobody gets it (never more than meant).
                _ => continue,
            };
            triples.push(Triple::new(matcher.clone(), acp("agent"), agent));
        }
        if on_resource {
            triples.push(Triple::new(
                root.clone(),
                acp("accessControl"),
                control.clone(),
            ));
        }
        if on_members {
            triples.push(Triple::new(
                root.clone(),
                acp("memberAccessControl"),
                control,
            ));
        }
    }
    triples.extend(acl.other().iter().cloned());
    Ok(to_turtle(&triples)?)
}

/// Reads the ACR at `acr_url` (for `resource`) into the rule model: every access
/// control on the resource (`acp:accessControl`) or its members
/// (`acp:memberAccessControl`) that applies one policy allowing modes to any of
/// some agents becomes an authorization, as [`to_acr`] writes them; anything else
/// (`allOf`/`noneOf`, client or issuer matchers, several policies) is kept
/// verbatim and written back unchanged, so rewriting never drops a rule.
pub fn from_acr(body: &[u8], acr_url: &Url, resource: &Url) -> Result<Acl, RdfError> {
    let triples = parse_turtle(body, acr_url.as_str())?;
    let is = |t: &Triple, subject: &NamedOrBlankNode, predicate: &str| {
        &t.subject == subject && t.predicate.as_str() == format!("{ACP}{predicate}")
    };
    let subjects_of = |subject: &NamedOrBlankNode, predicate: &str| -> Vec<NamedOrBlankNode> {
        triples
            .iter()
            .filter(|t| is(t, subject, predicate))
            .filter_map(|t| match &t.object {
                Term::NamedNode(n) => Some(n.clone().into()),
                Term::BlankNode(b) => Some(b.clone().into()),
                _ => None,
            })
            .collect()
    };
    fn about<'t>(triples: &'t [Triple], subject: &NamedOrBlankNode) -> Vec<&'t Triple> {
        triples.iter().filter(|t| &t.subject == subject).collect()
    }
    let mut controls: Vec<(NamedOrBlankNode, bool, bool)> = Vec::new();
    for t in &triples {
        let attached = match t.predicate.as_str().strip_prefix(ACP) {
            Some("accessControl") => (true, false),
            Some("memberAccessControl") => (false, true),
            _ => continue,
        };
        let control: NamedOrBlankNode = match &t.object {
            Term::NamedNode(n) => n.clone().into(),
            Term::BlankNode(b) => b.clone().into(),
            _ => continue,
        };
        match controls.iter_mut().find(|(c, _, _)| *c == control) {
            Some(found) => {
                found.1 |= attached.0;
                found.2 |= attached.1;
            }
            None => controls.push((control, attached.0, attached.1)),
        }
    }
    let mut acl_rules = Vec::new();
    let mut consumed: HashSet<&Triple> = HashSet::new();
    let mut taken = Acl::default();
    for (control, on_resource, on_members) in &controls {
        let policies = subjects_of(control, "apply");
        let [policy] = policies.as_slice() else {
            continue;
        };
        let matchers = subjects_of(policy, "anyOf");
        let plain = |subject: &NamedOrBlankNode, allowed: &[&str]| {
            about(&triples, subject).into_iter().all(|t| {
                t.predicate.as_str() == vocab::RDF_TYPE
                    || allowed
                        .iter()
                        .any(|p| t.predicate.as_str() == format!("{ACP}{p}"))
            })
        };
        if matchers.is_empty()
            || !plain(control, &["apply"])
            || !plain(policy, &["allow", "anyOf"])
            || !matchers.iter().all(|m| plain(m, &["agent"]))
        {
            continue;
        }
        let mut rule = Authorization::new(acr_url, &taken.free_fragment("acp"))?;
        let mut understood = true;
        for matcher in &matchers {
            for agent in subjects_of(matcher, "agent") {
                match agent {
                    NamedOrBlankNode::NamedNode(n) => match n.as_str().strip_prefix(ACP) {
                        Some("PublicAgent") => rule.agent_classes.push(vocab::FOAF_AGENT.into()),
                        Some("AuthenticatedAgent") => rule
                            .agent_classes
                            .push(vocab::ACL_AUTHENTICATED_AGENT.into()),
                        Some(_) => understood = false,
                        None => rule.agents.push(n.into_string()),
                    },
                    NamedOrBlankNode::BlankNode(_) => understood = false,
                }
            }
        }
        for t in about(&triples, policy) {
            if is(t, policy, "allow") {
                let mode = match &t.object {
                    Term::NamedNode(n) => Mode::from_iri(n.as_str()),
                    _ => None,
                };
                match mode {
                    Some(mode) => {
                        rule.modes.insert(mode);
                    }
                    None => understood = false,
                }
            }
        }
        if !understood {
            continue;
        }
        if *on_resource {
            rule.access_to.push(resource.to_string());
        }
        if *on_members {
            rule.default.push(resource.to_string());
        }
        for subject in std::iter::once(control).chain([policy]).chain(&matchers) {
            consumed.extend(about(&triples, subject));
        }
        consumed.extend(triples.iter().filter(|t| {
            matches!(
                t.predicate.as_str().strip_prefix(ACP),
                Some("accessControl" | "memberAccessControl")
            ) && match (&t.object, control) {
                (Term::NamedNode(o), NamedOrBlankNode::NamedNode(c)) => o == c,
                (Term::BlankNode(o), NamedOrBlankNode::BlankNode(c)) => o == c,
                _ => false,
            }
        }));
        taken.authorizations.push(rule.clone());
        acl_rules.push(rule);
    }
    // The root's type and resource are written anew.
    consumed.extend(triples.iter().filter(|t| {
        t.predicate.as_str() == format!("{ACP}resource")
            || (t.predicate.as_str() == vocab::RDF_TYPE
                && matches!(&t.object, Term::NamedNode(o) if o.as_str() == format!("{ACP}AccessControlResource")))
    }));
    let other = triples
        .iter()
        .filter(|t| !consumed.contains(t))
        .cloned()
        .collect();
    let mut acl = Acl::keeping(other);
    acl.authorizations = acl_rules;
    Ok(acl)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pod::acl::Authorization;
    use crate::pod::rdf::parse_turtle;

    const FOLDER: &str = "https://pod.example/alice/solidcrypt-data/";
    const OWNER: &str = "https://pod.example/alice/profile/card#me";

    fn objects_of(triples: &[Triple], predicate: &str) -> Vec<String> {
        triples
            .iter()
            .filter(|t| t.predicate.as_str() == format!("{ACP}{predicate}"))
            .map(|t| t.object.to_string())
            .collect()
    }

    #[test]
    fn servers_name_their_acrs_so() {
        let acr = |u: &str| is_acr(&Url::parse(u).unwrap());
        assert!(acr("http://localhost:3000/alice/solidcrypt-data/.acr"));
        assert!(acr("https://storage.inrupt.com/x/file?ext=acr"));
        assert!(!acr("http://localhost:3000/alice/solidcrypt-data/.acl"));
        assert!(!acr("https://storage.inrupt.com/x/file?ext=acl"));
    }

    #[test]
    fn the_owner_rule_becomes_a_policy_on_the_folder_and_its_members() {
        let resource = Url::parse(FOLDER).unwrap();
        let acr_url = resource.join(".acr").unwrap();
        let mut acl = Acl::default();
        acl.keep_owner(&acr_url, OWNER, &resource).unwrap();
        let mut public = Authorization::new(&acr_url, "public").unwrap();
        public.agent_classes.push(vocab::FOAF_AGENT.to_owned());
        public.access_to.push(FOLDER.to_owned());
        public.modes.insert(Mode::Append);
        acl.authorizations.push(public);

        let body = to_acr(&acl, &acr_url, &resource).unwrap();
        let triples = parse_turtle(&body, acr_url.as_str()).unwrap();
        assert_eq!(objects_of(&triples, "resource"), [format!("<{FOLDER}>")]);
        // Owner: on the folder and its members; public Append: on the folder only.
        assert_eq!(objects_of(&triples, "accessControl").len(), 2);
        assert_eq!(objects_of(&triples, "memberAccessControl").len(), 1);
        let agents = objects_of(&triples, "agent");
        assert!(agents.contains(&format!("<{OWNER}>")), "{agents:?}");
        assert!(
            agents.contains(&format!("<{ACP}PublicAgent>")),
            "{agents:?}"
        );
        let allowed = objects_of(&triples, "allow");
        for mode in [
            vocab::ACL_READ,
            vocab::ACL_WRITE,
            vocab::ACL_CONTROL,
            vocab::ACL_APPEND,
        ] {
            assert!(
                allowed.contains(&format!("<{mode}>")),
                "{mode}: {allowed:?}"
            );
        }
    }

    #[test]
    fn what_to_acr_writes_reads_back_and_what_it_cannot_model_is_kept() {
        let resource = Url::parse(FOLDER).unwrap();
        let acr_url = resource.join(".acr").unwrap();
        let mut acl = Acl::default();
        acl.keep_owner(&acr_url, OWNER, &resource).unwrap();
        let mut bob = Authorization::new(&acr_url, "person").unwrap();
        bob.agents.push("https://bob.example/card#me".into());
        bob.access_to.push(FOLDER.to_owned());
        bob.default.push(FOLDER.to_owned());
        bob.modes.insert(Mode::Read);
        acl.authorizations.push(bob);
        let body = to_acr(&acl, &acr_url, &resource).unwrap();
        let read = from_acr(&body, &acr_url, &resource).unwrap();
        assert_eq!(read.authorizations.len(), 2);
        assert!(read.other().is_empty(), "{:?}", read.other());
        let agents: Vec<_> = read
            .authorizations
            .iter()
            .flat_map(|a| a.agents.clone())
            .collect();
        assert_eq!(agents, [OWNER, "https://bob.example/card#me"]);

        // Community Solid Server's own root ACR (blank nodes), and a policy with
        // allOf this model cannot say: the first read, the second kept verbatim.
        let css = format!(
            "@prefix acl: <http://www.w3.org/ns/auth/acl#>. @prefix acp: <{ACP}>.
             <#root> a acp:AccessControlResource; acp:resource <./>;
               acp:accessControl <#owner>, <#strict>; acp:memberAccessControl <#owner>.
             <#owner> a acp:AccessControl; acp:apply [ a acp:Policy;
               acp:allow acl:Read, acl:Write, acl:Control;
               acp:anyOf [ a acp:Matcher; acp:agent <{OWNER}> ] ].
             <#strict> a acp:AccessControl; acp:apply [ a acp:Policy; acp:allow acl:Read;
               acp:allOf [ a acp:Matcher; acp:client <https://app.example/id> ] ]."
        );
        let read = from_acr(css.as_bytes(), &acr_url, &resource).unwrap();
        assert_eq!(read.authorizations.len(), 1);
        assert_eq!(read.authorizations[0].agents, [OWNER]);
        assert_eq!(read.authorizations[0].access_to, [FOLDER]);
        assert_eq!(read.authorizations[0].default, [FOLDER]);
        let rewritten = to_acr(&read, &acr_url, &resource).unwrap();
        let again = parse_turtle(&rewritten, acr_url.as_str()).unwrap();
        assert!(
            objects_of(&again, "client").contains(&"<https://app.example/id>".to_owned()),
            "the allOf policy survives a rewrite"
        );
        assert_eq!(objects_of(&again, "accessControl").len(), 2);
    }

    #[test]
    fn a_group_rule_cannot_be_written() {
        let resource = Url::parse(FOLDER).unwrap();
        let acr_url = resource.join(".acr").unwrap();
        let mut acl = Acl::default();
        let mut rule = Authorization::new(&acr_url, "group").unwrap();
        rule.agent_groups
            .push("https://pod.example/alice/groups/g.ttl#group".into());
        rule.access_to.push(FOLDER.to_owned());
        rule.modes.insert(Mode::Read);
        acl.authorizations.push(rule);
        assert_eq!(to_acr(&acl, &acr_url, &resource), Err(AcrError::Groups));
    }
}
