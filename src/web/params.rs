//! The query string of a results or map page: the search API's own parameters, tidied the way
//! a submitted form needs (empty fields dropped, a distance without a place ignored), and
//! rebuilt for links that add or remove one filter.

/// Parameters in the order given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Reads a query string as a form sends it.
    pub fn from_raw(raw: &str) -> Params {
        let mut pairs: Vec<(String, String)> = form_urlencoded::parse(raw.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.trim().to_owned()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let has_near = pairs.iter().any(|(k, _)| k == "near");
        if !has_near {
            // A distance or distance order means nothing without a place: not an error on a form.
            pairs.retain(|(k, v)| k != "radius" && !(k == "sort" && v == "distance"));
        }
        pairs.retain(|(k, v)| !(k == "page" && v == "1"));
        let mut seen: Vec<(String, String)> = Vec::with_capacity(pairs.len());
        for p in pairs {
            if !seen.contains(&p) {
                seen.push(p);
            }
        }
        Params(seen)
    }

    /// The first value of `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeatable `key`, comma-separated ones split.
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect()
    }

    pub fn has(&self, key: &str, value: &str) -> bool {
        self.all(key).contains(&value)
    }

    pub fn flag(&self, key: &str) -> bool {
        matches!(self.get(key), Some("true" | "1" | "yes"))
    }

    /// The query string, without a leading `?`.
    pub fn encode(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.0.iter())
            .finish()
    }

    /// A copy without `key` (every value, or only `value`), and back on page 1.
    pub fn without(&self, key: &str, value: Option<&str>) -> Params {
        let mut out = Vec::new();
        for (k, v) in &self.0 {
            if k == "page" {
                continue;
            }
            if k != key {
                out.push((k.clone(), v.clone()));
                continue;
            }
            if let Some(drop) = value {
                let rest: Vec<&str> = v.split(',').map(str::trim).filter(|x| *x != drop).collect();
                if !rest.is_empty() {
                    out.push((k.clone(), rest.join(",")));
                }
            }
        }
        if key == "near" {
            out.retain(|(k, _)| k != "radius" && k != "sort");
        }
        Params(out)
    }

    /// A copy with `key` set to `value` alone.
    pub fn with(&self, key: &str, value: &str) -> Params {
        let mut out: Vec<(String, String)> =
            self.0.iter().filter(|(k, _)| k != key).cloned().collect();
        out.push((key.to_owned(), value.to_owned()));
        Params(out)
    }

    /// `path?query`, or `path` when there are no parameters.
    pub fn href(&self, path: &str) -> String {
        if self.0.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", self.encode())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_tidied() {
        let p =
            Params::from_raw("q=&near=&radius=5000&kind=service&free=true&page=1&sort=distance");
        assert_eq!(p.encode(), "kind=service&free=true");
        let p = Params::from_raw("q=food&near=OL1+1HT&radius=2000&kind=service,space");
        assert_eq!(p.all("kind"), vec!["service", "space"]);
        assert_eq!(
            p.without("kind", Some("space")).encode(),
            "q=food&near=OL1+1HT&radius=2000&kind=service"
        );
        assert_eq!(
            p.without("near", None).encode(),
            "q=food&kind=service%2Cspace"
        );
        assert_eq!(p.with("radius", "10000").get("radius"), Some("10000"));
    }
}
