//! An organisation: anyone who runs or owns something in the register.

use super::vocab::OrgType;
use super::{
    FieldError, Record, RecordKind, SearchText, record_accessors, record_struct, validate as v,
};

record_struct! {
    /// An organisation that runs services, offers spaces or owns assets.
    pub struct Organisation {
        pub name: String,
        pub description: String,
        #[serde(default)]
        pub org_type: OrgType,
        /// A registration number, e.g. a charity or company number.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub identifier: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub website: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub email: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub phone: Option<String>,
    }
}

impl Record for Organisation {
    const KIND: RecordKind = RecordKind::Organisation;
    record_accessors!();

    fn validate(&mut self) -> Result<(), FieldError> {
        v::required("name", &mut self.name, 200)?;
        v::required("description", &mut self.description, 10_000)?;
        v::optional("identifier", &mut self.identifier, 100)?;
        v::url("website", &mut self.website)?;
        v::email("email", &mut self.email)?;
        v::phone("phone", &mut self.phone)?;
        Ok(())
    }

    fn search_text(&self) -> SearchText {
        SearchText {
            name: self.name.clone(),
            description: self.description.clone(),
            extra: vec![self.org_type.label().to_owned()],
        }
    }
}
