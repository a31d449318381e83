//! Posting a Linked Data Notification into an inbox (LDN §"Sender"): a `POST` of
//! Turtle to the inbox container, which everyone may append to.

use url::Url;

use super::client::Pod;
use super::error::{check_write, WriteError};
use super::http::{HttpClient, Method, Request};

impl<H: HttpClient> Pod<'_, H> {
    /// POSTs `turtle` into the container `inbox` (the pod names the new member).
    pub async fn post_notification(&self, inbox: &Url, turtle: Vec<u8>) -> Result<(), WriteError> {
        let request = Request::new(Method::Post, inbox.as_str()).body("text/turtle", turtle);
        check_write(self.send(request).await?)?;
        Ok(())
    }
}
