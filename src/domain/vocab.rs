//! Fixed vocabularies. Each value serialises as its snake_case name and has a label for people.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Declares a vocabulary enum with its wire names and labels. The wire name must be the
/// snake_case form of the variant (serde and the OpenAPI schema derive it that way; a test
/// checks the two agree).
macro_rules! vocabulary {
    ($(#[$attr:meta])* $name:ident { $($(#[$vattr:meta])* $variant:ident => $wire:literal, $label:literal;)+ }) => {
        $(#[$attr])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vattr])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The wire name, as in JSON and the search index.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire,)+ }
            }

            /// Words for people.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
        }
    };
}

vocabulary! {
    /// What kind of body an organisation is.
    #[derive(Default)]
    OrgType {
        CommunityGroup => "community_group", "Community group";
        Charity => "charity", "Charity";
        Council => "council", "Council";
        NhsBody => "nhs_body", "NHS body";
        Police => "police", "Police";
        HousingAssociation => "housing_association", "Housing association";
        Business => "business", "Business";
        FaithGroup => "faith_group", "Faith group";
        Education => "education", "School, college or university";
        #[default]
        Other => "other", "Other";
    }
}

vocabulary! {
    /// Accessibility features of a location or space.
    Accessibility {
        StepFreeAccess => "step_free_access", "Step-free access";
        AccessibleToilet => "accessible_toilet", "Accessible toilet";
        HearingLoop => "hearing_loop", "Hearing loop";
        Lift => "lift", "Lift";
        Parking => "parking", "Parking";
        AccessibleParking => "accessible_parking", "Accessible parking";
        BabyChange => "baby_change", "Baby change";
        QuietSpace => "quiet_space", "Quiet space";
        ChangingPlaces => "changing_places", "Changing Places toilet";
        AssistanceDogsWelcome => "assistance_dogs_welcome", "Assistance dogs welcome";
        GenderNeutralToilet => "gender_neutral_toilet", "Gender-neutral toilet";
        LargePrint => "large_print", "Large print available";
    }
}

vocabulary! {
    /// A service's operational status, as HSDS 3.0 defines it.
    #[derive(Default)]
    ServiceStatus {
        #[default]
        Active => "active", "Active";
        Inactive => "inactive", "Inactive";
        Defunct => "defunct", "Closed for good";
        TemporarilyClosed => "temporarily_closed", "Temporarily closed";
    }
}

vocabulary! {
    /// How a person gets to use a service.
    AccessMethod {
        DropIn => "drop_in", "Drop in";
        Referral => "referral", "By referral";
        Appointment => "appointment", "By appointment";
        Online => "online", "Online";
        Phone => "phone", "By phone";
    }
}

vocabulary! {
    /// What kind of space.
    #[derive(Default)]
    SpaceType {
        Hall => "hall", "Hall";
        MeetingRoom => "meeting_room", "Meeting room";
        Kitchen => "kitchen", "Kitchen";
        Garden => "garden", "Garden";
        Pitch => "pitch", "Pitch";
        SportsHall => "sports_hall", "Sports hall";
        Studio => "studio", "Studio";
        Classroom => "classroom", "Classroom";
        Office => "office", "Office";
        Workshop => "workshop", "Workshop";
        #[default]
        Other => "other", "Other";
    }
}

vocabulary! {
    /// Facilities a space offers.
    Facility {
        Wifi => "wifi", "Wi-Fi";
        Kitchen => "kitchen", "Kitchen";
        Projector => "projector", "Projector";
        TablesAndChairs => "tables_and_chairs", "Tables and chairs";
        Stage => "stage", "Stage";
        SoundSystem => "sound_system", "Sound system";
        Toilets => "toilets", "Toilets";
        ChangingRooms => "changing_rooms", "Changing rooms";
        OutdoorArea => "outdoor_area", "Outdoor area";
        Parking => "parking", "Parking";
        Storage => "storage", "Storage";
        Piano => "piano", "Piano";
    }
}

vocabulary! {
    /// How an asset is held.
    Tenure {
        Freehold => "freehold", "Freehold";
        Leasehold => "leasehold", "Leasehold";
    }
}

vocabulary! {
    /// How an asset is used or let by whoever holds it: the Transparency Code's "tenure
    /// detail". `leasehold` here is the LGA guidance's sense: owned, and let to someone else on
    /// a lease (a lease the owner holds itself is `Tenure::Leasehold`).
    TenureDetail {
        OccupiedByOwner => "occupied_by_owner", "Occupied by the owner";
        Leasehold => "leasehold", "Let on a lease";
        GroundLeasehold => "ground_leasehold", "Ground leasehold";
        SubLeasehold => "sub_leasehold", "Sub-leasehold";
        Licence => "licence", "Licence";
        Vacant => "vacant", "Vacant";
    }
}

vocabulary! {
    /// The unit of an asset's size.
    SizeUnit {
        SquareMetres => "square_metres", "m²";
        Hectares => "hectares", "hectares";
    }
}

vocabulary! {
    /// An Energy Performance Certificate (or Display Energy Certificate) band.
    EnergyRating {
        A => "a", "A";
        B => "b", "B";
        C => "c", "C";
        D => "d", "D";
        E => "e", "E";
        F => "f", "F";
        G => "g", "G";
    }
}

vocabulary! {
    /// On what terms an asset was transferred to the community.
    TransferTerms {
        Freehold => "freehold", "Freehold";
        Lease => "lease", "Lease";
        Licence => "licence", "Licence";
        ManagementAgreement => "management_agreement", "Management agreement";
    }
}

vocabulary! {
    /// Whether and how an asset is open to community use.
    #[derive(Default)]
    CommunityUse {
        #[default]
        InUse => "in_use", "In use";
        SpacesForHire => "spaces_for_hire", "Has spaces for hire";
        Available => "available", "Available for community use";
        OfferedForTransfer => "offered_for_transfer", "Offered for community asset transfer";
        Transferred => "transferred", "Transferred to the community";
        Disposed => "disposed", "Disposed of";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire<T: Serialize>(v: T) -> String {
        serde_json::to_value(v)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    #[test]
    fn wire_names_match_serde() {
        macro_rules! check {
            ($($t:ty),+) => {$(
                for v in <$t>::ALL {
                    assert_eq!(wire(*v), v.as_str());
                    assert!(!v.label().is_empty());
                }
            )+};
        }
        check!(
            OrgType,
            Accessibility,
            ServiceStatus,
            AccessMethod,
            SpaceType,
            Facility,
            Tenure,
            CommunityUse,
            TenureDetail,
            SizeUnit,
            EnergyRating,
            TransferTerms
        );
    }
}
