//! sea-orm entities, one module per table. Models derive serde so a row converts to and from
//! its domain record by field name (see `store::records`); list-valued fields are JSON columns.

macro_rules! entity {
    ($module:ident, $table:literal, { $($field:ident : $ty:ty $(=> $col:literal)?,)* }) => {
        pub mod $module {
            use sea_orm::entity::prelude::*;
            use serde::{Deserialize, Serialize};

            #[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
            #[sea_orm(table_name = $table)]
            pub struct Model {
                #[sea_orm(primary_key, auto_increment = false)]
                pub id: Uuid,
                $(
                    $(#[sea_orm(column_type = $col)])?
                    pub $field: $ty,
                )*
            }

            #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
            pub enum Relation {}

            impl ActiveModelBehavior for ActiveModel {}
        }
    };
}

entity!(organisation, "organisations", {
    name: String,
    description: String,
    org_type: String,
    identifier: Option<String>,
    website: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    version: i32,
    publication: String,
    created_at: DateTimeUtc,
    updated_at: DateTimeUtc,
    last_verified_at: Option<DateTimeUtc>,
});

entity!(location, "locations", {
    organisation_id: Option<Uuid>,
    name: String,
    description: Option<String>,
    address_1: String,
    address_2: Option<String>,
    town: String,
    county: Option<String>,
    postcode: String,
    uprn: Option<String>,
    latitude: f64,
    longitude: f64,
    accessibility: Json => "Json",
    hide_address: bool,
    version: i32,
    publication: String,
    created_at: DateTimeUtc,
    updated_at: DateTimeUtc,
    last_verified_at: Option<DateTimeUtc>,
});

entity!(service, "services", {
    organisation_id: Uuid,
    name: String,
    description: String,
    status: String,
    min_age: Option<i32>,
    max_age: Option<i32>,
    eligibility: Option<String>,
    free: bool,
    cost: Option<String>,
    access: Json => "Json",
    languages: Json => "Json",
    interpreting: bool,
    bsl: bool,
    email: Option<String>,
    phone: Option<String>,
    website: Option<String>,
    contact_person: Option<Json> => "Json",
    opening_hours: Option<String>,
    service_areas: Option<Json> => "Json",
    version: i32,
    publication: String,
    created_at: DateTimeUtc,
    updated_at: DateTimeUtc,
    last_verified_at: Option<DateTimeUtc>,
});

entity!(space, "spaces", {
    organisation_id: Uuid,
    location_id: Uuid,
    asset_id: Option<Uuid>,
    name: String,
    description: Option<String>,
    space_type: String,
    capacity: Option<i32>,
    facilities: Json => "Json",
    accessibility: Json => "Json",
    free: bool,
    price: Option<String>,
    hourly_rate: Option<f64>,
    how_to_book: Option<String>,
    booking_url: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    contact_person: Option<Json> => "Json",
    opening_hours: Option<String>,
    version: i32,
    publication: String,
    created_at: DateTimeUtc,
    updated_at: DateTimeUtc,
    last_verified_at: Option<DateTimeUtc>,
});

entity!(asset, "assets", {
    owner_organisation_id: Uuid,
    name: String,
    description: Option<String>,
    uprn: Option<String>,
    asset_reference: Option<String>,
    address_1: Option<String>,
    address_2: Option<String>,
    town: Option<String>,
    postcode: Option<String>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    tenure: Option<String>,
    current_use: Option<String>,
    community_use: String,
    street_number: Option<String>,
    street_name: Option<String>,
    easting: Option<f64>,
    northing: Option<f64>,
    site_outline: Option<Json> => "Json",
    tenure_as_published: Option<String>,
    tenure_detail: Option<String>,
    tenure_detail_as_published: Option<String>,
    holding_type: Option<String>,
    size: Option<Json> => "Json",
    services_delivered: Option<String>,
    reason_for_holding: Option<String>,
    annual_running_cost: Option<i64>,
    maintenance_backlog: Option<i64>,
    energy_rating: Option<String>,
    facilities: Option<Json> => "Json",
    capacity: Option<i32>,
    transfer_closing_date: Option<Date>,
    transfer: Option<Json> => "Json",
    version: i32,
    publication: String,
    created_at: DateTimeUtc,
    updated_at: DateTimeUtc,
    last_verified_at: Option<DateTimeUtc>,
});

entity!(taxonomy, "taxonomies", {
    name: String,
    description: String,
    uri: Option<String>,
    version: Option<String>,
    created_at: DateTimeUtc,
    updated_at: DateTimeUtc,
});

entity!(taxonomy_term, "taxonomy_terms", {
    taxonomy_id: Uuid,
    parent_id: Option<Uuid>,
    slug: String,
    name: String,
    description: Option<String>,
    version: i32,
    publication: String,
    created_at: DateTimeUtc,
    updated_at: DateTimeUtc,
    last_verified_at: Option<DateTimeUtc>,
});

entity!(api_token, "api_tokens", {
    name: String,
    token_hash: String,
    role: String,
    organisation_id: Option<Uuid>,
    created_at: DateTimeUtc,
    revoked_at: Option<DateTimeUtc>,
});

/// The change log. `seq` is assigned by the database and only ever grows.
pub mod change {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "changes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub seq: i64,
        pub record_kind: String,
        pub record_id: Uuid,
        pub op: String,
        pub actor: String,
        pub at: DateTimeUtc,
        #[sea_orm(column_type = "Json", nullable)]
        pub record: Option<Json>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Links from a service to the locations it is delivered at, in order.
pub mod service_location {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "service_locations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub service_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub location_id: Uuid,
        pub position: i32,
        /// The link's id in the ORUK API (`oruk::service_at_location_id`).
        pub service_at_location_id: Option<Uuid>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// The taxonomy terms a service or space is filed under, in order.
pub mod record_category {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "record_categories")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub record_kind: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub record_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub term_id: Uuid,
        pub position: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

entity!(user, "users", {
    email: String,
    email_key: String,
    password_hash: Option<String>,
    role: String,
    created_at: DateTimeUtc,
    updated_at: DateTimeUtc,
    disabled_at: Option<DateTimeUtc>,
});

/// The organisations whose records an editor may edit.
pub mod user_organisation {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "user_organisations")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: Uuid,
        #[sea_orm(primary_key, auto_increment = false)]
        pub organisation_id: Uuid,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Signed-in sessions, by the hash of the cookie's secret.
pub mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sessions")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id_hash: String,
        pub user_id: Uuid,
        pub csrf_token: String,
        pub created_at: DateTimeUtc,
        pub last_seen_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Single-use set-password and reset links, by the hash of their token.
pub mod password_token {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "password_tokens")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub token_hash: String,
        pub user_id: Uuid,
        pub purpose: String,
        pub created_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
        pub used_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Failed sign-ins per account and per client address, and the lock they lead to.
pub mod sign_in_failure {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sign_in_failures")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub failures: i32,
        pub first_at: DateTimeUtc,
        pub locked_until: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Mail waiting to be sent, or sent: review reminders and forwarded suggestions.
pub mod outbox {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "outbox")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        #[sea_orm(unique)]
        pub dedupe_key: String,
        pub recipient: String,
        pub subject: String,
        #[sea_orm(column_type = "Text")]
        pub body: String,
        pub created_at: DateTimeUtc,
        pub sent_at: Option<DateTimeUtc>,
        pub attempts: i32,
        pub claimed_until: Option<DateTimeUtc>,
        pub last_error: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Corrections suggested by the public, and what moderation made of them.
pub mod suggestion {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "suggestions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub record_kind: String,
        pub record_id: Uuid,
        pub field: String,
        #[sea_orm(column_type = "Text")]
        pub suggested_value: String,
        #[sea_orm(column_type = "Text")]
        pub message: String,
        pub contact_email: Option<String>,
        pub status: String,
        #[sea_orm(column_type = "Text", nullable)]
        pub reason: Option<String>,
        pub handled_by: Option<Uuid>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub closed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
