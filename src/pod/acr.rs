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

use oxrdf::{BlankNode, NamedOrBlankNode, Triple};
use url::Url;

use super::acl::{Acl, Mode};
use super::rdf::{iri, to_turtle, url_node, RdfError};
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
            let mode = match mode {
                Mode::Read => vocab::ACL_READ,
                Mode::Write => vocab::ACL_WRITE,
                Mode::Append => vocab::ACL_APPEND,
                Mode::Control => vocab::ACL_CONTROL,
            };
            triples.push(Triple::new(policy.clone(), acp("allow"), iri(mode)));
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
    Ok(to_turtle(&triples)?)
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
