//! The tables of the HSDS 3.0 tabular datapackage that Junction can fill: their names, files
//! and columns (in the order of the HSDS example CSVs), and which HSDS objects their rows come
//! from; plus one table of Junction's own, `record_licences.csv`, the licence of each record
//! whose source's licence differs from the register's. A column list is written `name:type`, where the type is `uuid`, `uri`, `email`
//! (strings of that format), `number`, `datetime` or nothing (a plain string).

use serde_json::{Value, json};

/// The record walks rows come from: each pages through one kind of published record and
/// writes each as its HSDS object (the same functions as the ORUK API).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Walk {
    Organisations,
    Locations,
    Services,
    Taxonomies,
    Terms,
}

/// Where a table's rows sit in one HSDS object: the object itself (an empty path), or the
/// items of a list inside it, following each key in turn (`["contacts", "phones"]` is every
/// phone of every contact).
#[derive(Debug, Clone, Copy)]
pub struct From {
    pub walk: Walk,
    pub path: &'static [&'static str],
}

/// One CSV file of the package.
#[derive(Debug)]
pub struct Table {
    /// The resource name (HSDS's object name).
    pub name: &'static str,
    pub path: &'static str,
    columns: &'static str,
    pub from: &'static [From],
}

const fn from(walk: Walk, path: &'static [&'static str]) -> From {
    From { walk, path }
}

impl Table {
    /// Column names, in order.
    pub fn columns(&self) -> impl Iterator<Item = &'static str> {
        self.columns
            .split_whitespace()
            .map(|c| c.split_once(':').map_or(c, |(name, _)| name))
    }

    /// The Table Schema `fields` of the columns.
    fn fields(&self) -> Vec<Value> {
        self.columns
            .split_whitespace()
            .map(|c| match c.split_once(':') {
                Some((name, "number")) => json!({"name": name, "type": "number"}),
                Some((name, "datetime")) => json!({"name": name, "type": "datetime"}),
                Some((name, format)) => json!({"name": name, "type": "string", "format": format}),
                None => json!({"name": c, "type": "string"}),
            })
            .collect()
    }

    /// The package resource describing this file.
    pub fn resource(&self) -> Value {
        json!({
            "name": self.name,
            "path": self.path,
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": {"fields": self.fields(), "primaryKey": ["id"]},
        })
    }
}

use Walk::{Locations, Organisations, Services, Taxonomies, Terms};

/// Every table Junction fills, in the order of HSDS's datapackage.
pub const TABLES: &[Table] = &[
    Table {
        name: "organization",
        path: "organizations.csv",
        columns: "id:uuid name alternate_name description email:email website:uri tax_status tax_id year_incorporated:number legal_status logo uri:uri parent_organization_id:uuid",
        from: &[from(Organisations, &[])],
    },
    Table {
        name: "service",
        path: "services.csv",
        columns: "id:uuid organization_id:uuid program_id:uuid name alternate_name description url:uri email:email status interpretation_services application_process fees_description wait_time fees accreditations eligibility_description minimum_age:number maximum_age:number assured_date assurer_email:email licenses alert last_modified:datetime",
        from: &[from(Services, &[])],
    },
    Table {
        name: "attribute",
        path: "attributes.csv",
        columns: "id:uuid link_id:uuid taxonomy_term_id:uuid link_type link_entity value",
        from: &[from(Services, &["attributes"])],
    },
    Table {
        name: "service_at_location",
        path: "service_at_location.csv",
        columns: "id:uuid service_id:uuid location_id:uuid description",
        from: &[from(Services, &["service_at_locations"])],
    },
    Table {
        name: "location",
        path: "locations.csv",
        columns: "id:uuid location_type url:uri organization_id:uuid name alternate_name description transportation latitude:number longitude:number external_identifier external_identifier_type",
        from: &[from(Locations, &[])],
    },
    Table {
        name: "phone",
        path: "phones.csv",
        columns: "id:uuid location_id:uuid service_id:uuid organization_id:uuid contact_id:uuid service_at_location_id:uuid number extension:number type description",
        from: &[
            from(Organisations, &["phones"]),
            from(Services, &["phones"]),
            from(Services, &["contacts", "phones"]),
        ],
    },
    Table {
        name: "contact",
        path: "contacts.csv",
        columns: "id:uuid organization_id:uuid service_id:uuid service_at_location_id:uuid location_id:uuid name title department email:email",
        from: &[from(Services, &["contacts"])],
    },
    Table {
        name: "address",
        path: "addresses.csv",
        columns: "id:uuid location_id:uuid attention address_1 address_2 city region state_province postal_code country address_type",
        from: &[from(Locations, &["addresses"])],
    },
    Table {
        name: "schedule",
        path: "schedules.csv",
        columns: "id:uuid service_id:uuid location_id:uuid service_at_location_id:uuid valid_from valid_to dtstart timezone:number until count:number wkst freq interval:number byday byweekno bymonthday byyearday description opens_at closes_at schedule_link:uri attending_type notes",
        from: &[from(Services, &["schedules"])],
    },
    Table {
        name: "service_area",
        path: "service_areas.csv",
        columns: "id:uuid service_id:uuid name description extent extent_type uri",
        from: &[from(Services, &["service_areas"])],
    },
    Table {
        name: "language",
        path: "languages.csv",
        columns: "id:uuid service_id:uuid location_id:uuid phone_id:uuid name code note",
        from: &[from(Services, &["languages"])],
    },
    Table {
        name: "accessibility",
        path: "accessibility.csv",
        columns: "id:uuid location_id:uuid description details url:uri",
        from: &[from(Locations, &["accessibility"])],
    },
    Table {
        name: "taxonomy_term",
        path: "taxonomy_terms.csv",
        columns: "id:uuid code name description parent_id:uuid taxonomy language taxonomy_id:uuid term_uri:uri",
        from: &[from(Terms, &[])],
    },
    Table {
        name: "cost_option",
        path: "cost_options.csv",
        columns: "id:uuid service_id:uuid valid_from valid_to option currency amount:number amount_description",
        from: &[from(Services, &["cost_options"])],
    },
    Table {
        name: "organization_identifier",
        path: "organization_identifiers.csv",
        columns: "id:uuid organization_id:uuid identifier_scheme identifier_type identifier",
        from: &[from(Organisations, &["organization_identifiers"])],
    },
    Table {
        name: "taxonomy",
        path: "taxonomies.csv",
        columns: "id:uuid name description uri:uri version",
        from: &[from(Taxonomies, &[])],
    },
    // Not HSDS: the licence of each record whose source's licence differs from the register's.
    Table {
        name: "record_licence",
        path: "record_licences.csv",
        columns: "id:uuid record_id:uuid record_type licence attribution source",
        from: &[
            from(Organisations, &[LICENCES]),
            from(Locations, &[LICENCES]),
            from(Services, &[LICENCES]),
        ],
    },
];

/// Where the export puts a record's licence rows in its HSDS object (never published there).
pub const LICENCES: &str = "_licences";

/// The rows `from` finds in one HSDS object.
pub fn rows<'a>(object: &'a Value, path: &[&str]) -> Vec<&'a Value> {
    let mut rows = vec![object];
    for key in path {
        rows = rows
            .into_iter()
            .filter_map(|r| r.get(*key).and_then(Value::as_array))
            .flatten()
            .collect();
    }
    rows
}

/// One CSV cell: strings as they are, numbers and booleans as text, absent values empty.
pub fn cell(row: &Value, column: &str) -> String {
    match row.get(column) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_has_an_id_first_and_unique_columns() {
        for t in TABLES {
            let cols: Vec<&str> = t.columns().collect();
            assert_eq!(cols[0], "id", "{}", t.name);
            let mut sorted = cols.clone();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), cols.len(), "{}", t.name);
            assert_eq!(
                t.resource()["schema"]["fields"].as_array().map(Vec::len),
                Some(cols.len())
            );
        }
    }

    #[test]
    fn rows_follow_nested_lists() {
        let service =
            json!({"id": "s", "contacts": [{"id": "c", "phones": [{"id": "p1"}, {"id": "p2"}]}]});
        let phones = rows(&service, &["contacts", "phones"]);
        assert_eq!(phones.len(), 2);
        assert_eq!(cell(phones[1], "id"), "p2");
        assert_eq!(cell(&json!({"n": 1.5, "b": true}), "n"), "1.5");
        assert_eq!(cell(&json!({}), "missing"), "");
    }
}
