#![cfg(not(target_arch = "wasm32"))]
//! Managing shares with people, on a real pod: alice renames a share and deletes
//! shares (keeping the data, or deleting it, for everyone the share names); bob
//! removes a share alice revoked, and it stays gone at his next unlock; a person's
//! profile name, hostile as it may be, arrives cleaned and bounded in lookups,
//! contacts and offers.

mod common;

use common::{
    block_on, drive_password, inbox_of, log_in, new_drive_with_identity, pods, put_file,
    NativeHttp, ALICE, BOB, CAROL, PROFILES,
};
use solidcrypt::crypto::identity_key::NativeIdentityKey;
use solidcrypt::drive::new_folder;
use solidcrypt::identity::{lookup_person, Identity};
use solidcrypt::keystore::{master, Keyring, Unreadable};
use solidcrypt::people::{
    accept_offer, delete_share, remove_received, rename_share, share_with_person, shares,
    AliasError, DeleteShareError, RenameShareError, SharedData,
};
use solidcrypt::pod::error::ReadError;
use solidcrypt::pod::http::HttpClient;
use solidcrypt::pod::rdf::{iri, url_node};
use solidcrypt::pod::{vocab, Pod};
use solidcrypt::share::{shared_with_me, Access};
use url::Url;

/// `account` reads its inbox and accepts the one offer for `resource`.
fn accept<H: HttpClient>(
    pod: &Pod<'_, H>,
    keys: &Keyring,
    account: &common::Account,
    id: &Identity<NativeIdentityKey>,
    resource: &Url,
) -> solidcrypt::people::OfferPreview {
    let inbox = inbox_of(pod, keys, account, id);
    let preview = inbox
        .offers
        .into_iter()
        .find(|o| &o.resource == resource)
        .unwrap_or_else(|| panic!("{} has an offer for {resource}", account.name));
    block_on(accept_offer(pod, keys, &account.webid(), &preview)).unwrap();
    preview
}

#[test]
fn alice_renames_and_deletes_shares_keeping_or_deleting_the_data() {
    let _one = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB, &CAROL]);
    let [alice, bob, carol] = pods(&http, &sessions);
    let (_, bob_keys, bob_id) = new_drive_with_identity(&bob, &BOB);
    let (_, carol_keys, carol_id) = new_drive_with_identity(&carol, &CAROL);
    let (layout, alice_keys, _) = new_drive_with_identity(&alice, &ALICE);
    let files = layout.files();
    let trip = block_on(new_folder(&alice, &alice_keys, &files, "Trip")).unwrap();
    let plan = put_file(&alice, &alice_keys, &trip, "plan.txt", b"the plan");
    let notes = put_file(&alice, &alice_keys, &files, "notes.txt", b"notes");
    let (bob_person, carol_person) = (
        block_on(lookup_person(&alice, &BOB.webid_url())).unwrap(),
        block_on(lookup_person(&alice, &CAROL.webid_url())).unwrap(),
    );
    let share = |person, resource: &Url, alias| {
        block_on(share_with_person(
            &alice,
            &alice_keys,
            &ALICE.webid(),
            person,
            resource,
            Access::Read,
            alias,
        ))
        .unwrap()
    };
    // "Trip" is one share held by bob and carol; "Notes" bob alone.
    let trip_bob = share(&bob_person, &trip, Some("Trip"));
    let trip_carol = share(&carol_person, &trip, Some("Trip"));
    let notes_bob = share(&bob_person, &notes, Some("Notes"));
    // An alias names one resource.
    let taken = block_on(share_with_person(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &carol_person,
        &notes,
        Access::Read,
        Some("Trip"),
    ))
    .unwrap_err();
    assert!(
        matches!(taken, solidcrypt::people::PersonShareError::AliasTaken(_)),
        "{taken}"
    );
    accept(&bob, &bob_keys, &BOB, &bob_id, &trip);
    accept(&carol, &carol_keys, &CAROL, &carol_id, &trip);
    accept(&bob, &bob_keys, &BOB, &bob_id, &notes);

    // Rename: every holder's entry follows; hostile or taken names are refused.
    let renamed = block_on(rename_share(&alice, &alice_keys, "Trip", "  Summer trip ")).unwrap();
    assert_eq!(renamed, "Summer trip");
    let listed = block_on(shares(&alice, &alice_keys)).unwrap();
    let ids: Vec<&str> = listed
        .created
        .iter()
        .filter(|s| s.alias == "Summer trip")
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            format!("Summer trip${}", BOB.webid()),
            format!("Summer trip${}", CAROL.webid())
        ]
    );
    assert!(listed.created.iter().all(|s| s.alias != "Trip"));
    assert_eq!(
        block_on(rename_share(&alice, &alice_keys, "Summer trip", "Notes")).unwrap_err(),
        RenameShareError::Taken("Notes".into())
    );
    assert_eq!(
        block_on(rename_share(&alice, &alice_keys, "Summer trip", "a$b")).unwrap_err(),
        RenameShareError::Alias(AliasError::Character)
    );
    assert_eq!(
        block_on(rename_share(
            &alice,
            &alice_keys,
            "Summer trip",
            "x\u{202E}\n"
        ))
        .unwrap_err(),
        RenameShareError::Alias(AliasError::Character)
    );
    assert_eq!(
        block_on(rename_share(&alice, &alice_keys, "Trip", "Again")).unwrap_err(),
        RenameShareError::NotFound("Trip".into())
    );

    // Delete "Summer trip", keeping the data: bob and carol both lose it, alice
    // keeps the folder and reads it, the keystores are gone.
    let deleted = block_on(delete_share(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        "Summer trip",
        SharedData::Keep,
        &|_| {},
    ))
    .unwrap();
    assert_eq!(deleted.recipients, [BOB.webid(), CAROL.webid()]);
    assert!(!deleted.data_deleted);
    assert_eq!(deleted.revoked.len(), 2);
    for (pod, who) in [(&bob, "bob"), (&carol, "carol")] {
        assert_eq!(
            block_on(pod.get(&plan)).unwrap_err(),
            ReadError::Forbidden,
            "{who}"
        );
    }
    for keystore in [&trip_bob.keystore, &trip_carol.keystore] {
        assert_eq!(
            block_on(alice.get(&Url::parse(keystore).unwrap())).unwrap_err(),
            ReadError::NotFound
        );
    }
    assert!(block_on(alice.get(&plan)).is_ok(), "alice keeps her data");
    assert!(alice_keys
        .keystores()
        .iter()
        .all(|k| k.url != trip_bob.keystore));
    common::alice_keeps_control(&alice, &trip);
    assert!(matches!(
        block_on(delete_share(
            &alice,
            &alice_keys,
            &ALICE.webid(),
            "Summer trip",
            SharedData::Keep,
            &|_| {}
        )),
        Err(DeleteShareError::NotFound(_))
    ));

    // Delete "Notes" with its data: the file, its keystore and bob's access go.
    let notes_keystore = Url::parse(&notes_bob.keystore).unwrap();
    block_on(bob.get(&notes)).expect("bob reads the notes before");
    let deleted = block_on(delete_share(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        "Notes",
        SharedData::Delete,
        &|_| {},
    ))
    .unwrap();
    assert!(deleted.data_deleted);
    assert_eq!(
        block_on(alice.get(&notes)).unwrap_err(),
        ReadError::NotFound
    );
    assert_eq!(
        block_on(alice.get(&notes_keystore)).unwrap_err(),
        ReadError::NotFound
    );
    assert!(
        alice_keys.lookup(notes.as_str()).is_none(),
        "its key is gone"
    );
    assert!(block_on(bob.get(&notes)).is_err());
    let listed = block_on(shares(&alice, &alice_keys)).unwrap();
    assert!(listed.created.is_empty(), "{:?}", listed.created);
}

#[test]
fn bob_removes_a_share_alice_revoked_and_it_stays_removed() {
    let _one = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB]);
    let [alice, bob] = pods(&http, &sessions);
    let (bob_layout, bob_keys, bob_id) = new_drive_with_identity(&bob, &BOB);
    let (layout, alice_keys, _) = new_drive_with_identity(&alice, &ALICE);
    let folder = block_on(new_folder(&alice, &alice_keys, &layout.files(), "Gone")).unwrap();
    put_file(&alice, &alice_keys, &folder, "a.txt", b"a");
    let person = block_on(lookup_person(&alice, &BOB.webid_url())).unwrap();
    let share = block_on(share_with_person(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &person,
        &folder,
        Access::Read,
        None,
    ))
    .unwrap();
    accept(&bob, &bob_keys, &BOB, &bob_id, &folder);
    block_on(solidcrypt::people::revoke_person(
        &alice,
        &alice_keys,
        &ALICE.webid(),
        &share,
        &|_| {},
    ))
    .unwrap();

    // Bob's next unlock: the share is there, withdrawn.
    let bob_keys = block_on(master::unlock(&bob, &bob_layout, &drive_password())).unwrap();
    let listed = shared_with_me(&bob_keys);
    let [item] = listed.as_slice() else {
        panic!("one share: {listed:?}")
    };
    assert_eq!(item.unavailable, Some(Unreadable::Withdrawn));

    let before = block_on(shares(&bob, &bob_keys)).unwrap();
    let [received] = before.received.as_slice() else {
        panic!("one received: {:?}", before.received)
    };
    assert_eq!(received.resource, folder.as_str());
    block_on(remove_received(&bob, &bob_keys, folder.as_str())).unwrap();
    assert!(shared_with_me(&bob_keys).is_empty());
    let doc = block_on(shares(&bob, &bob_keys)).unwrap();
    assert!(doc.received.is_empty(), "{:?}", doc.received);
    assert!(doc.answered(&received.offer), "a replay is still refused");
    // Again: nothing to do.
    block_on(remove_received(&bob, &bob_keys, folder.as_str())).unwrap();
    let bob_keys = block_on(master::unlock(&bob, &bob_layout, &drive_password())).unwrap();
    assert!(
        shared_with_me(&bob_keys).is_empty(),
        "gone at the next unlock"
    );
    assert!(bob_keys.unavailable().is_empty());
}

#[test]
fn a_hostile_profile_name_arrives_cleaned_in_lookups_contacts_and_offers() {
    let _one = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    let http = NativeHttp::new();
    let sessions = log_in(&http, [&ALICE, &BOB]);
    let [alice, bob] = pods(&http, &sessions);
    let (_, bob_keys, bob_id) = new_drive_with_identity(&bob, &BOB);
    let (layout, alice_keys, _) = new_drive_with_identity(&alice, &ALICE);

    // Names as a hostile profile may state them: markup, controls, a right-to-left
    // override, and far too long; alice's with vcard:fn only.
    let hostile = format!(
        "<img src=x onerror=alert(1)>\u{7}\n Bob\u{202E}moc.evil {}",
        "B".repeat(300)
    );
    let name = |account: &common::Account, predicate, value: &str| {
        oxrdf::Triple::new(
            url_node(&account.webid()).unwrap(),
            iri(predicate),
            oxrdf::Literal::new_simple_literal(value),
        )
    };
    let profile = |account: &common::Account| {
        let mut doc = account.webid_url();
        doc.set_fragment(None);
        doc
    };
    let bob_name = name(&BOB, vocab::FOAF_NAME, &hostile);
    let alice_name = name(&ALICE, vocab::VCARD_FN, "Alice\u{200B} Liddell");
    block_on(bob.insert_triples(&profile(&BOB), std::slice::from_ref(&bob_name))).unwrap();
    block_on(alice.insert_triples(&profile(&ALICE), std::slice::from_ref(&alice_name))).unwrap();
    let cleanup = || {
        let _ =
            block_on(bob.patch_triples(&profile(&BOB), &[], std::slice::from_ref(&bob_name), None));
        let _ = block_on(alice.patch_triples(
            &profile(&ALICE),
            &[],
            std::slice::from_ref(&alice_name),
            None,
        ));
    };

    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let person = block_on(lookup_person(&alice, &BOB.webid_url())).unwrap();
        let shown = person.name.clone().expect("a name");
        assert!(
            shown.starts_with("<img src=x onerror=alert(1)> Bobmoc.evil BBB"),
            "{shown}"
        );
        assert_eq!(
            shown.chars().count(),
            solidcrypt::identity::lookup::MAX_NAME_CHARS
        );
        assert!(!shown.chars().any(|c| c.is_control() || c == '\u{202E}'));

        let file = put_file(&alice, &alice_keys, &layout.files(), "n.txt", b"n");
        block_on(share_with_person(
            &alice,
            &alice_keys,
            &ALICE.webid(),
            &person,
            &file,
            Access::Read,
            None,
        ))
        .unwrap();
        let doc = block_on(shares(&alice, &alice_keys)).unwrap();
        let contact = doc.contact(&BOB.webid()).unwrap();
        assert_eq!(
            contact.name.as_deref(),
            Some(shown.as_str()),
            "kept in contacts"
        );

        let inbox = inbox_of(&bob, &bob_keys, &BOB, &bob_id);
        let offer = inbox.offers.iter().find(|o| o.resource == file).unwrap();
        assert_eq!(offer.sender.name.as_deref(), Some("Alice Liddell"));
    }));
    cleanup();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
