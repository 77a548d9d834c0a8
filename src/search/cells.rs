//! Grid cells: how a bounding box finds the records with several sites.
//!
//! The index's spatial order (see [`super::spatial`]) places each document by its first
//! point. A record with more than one site is also filed under the cell that holds each of
//! its points in each of five square grids, 0.02°, 0.08°, 0.32°, 1.28° and 5.12° on a side
//! (each four times the last). A box is looked up on the finest grid where it needs at most
//! [`MAX_CELLS`] cells, as an OR of their terms: posting lists that name only such records in
//! those cells. The cells cover the box and a margin; the collector then checks the box or
//! radius exactly.
//!
//! Terms are plain keywords (`<level>:<column>:<row>`), so they stay correct through merges,
//! deletes and incremental updates like any other term.

/// Side of the finest cell, in degrees.
const FINEST: f64 = 0.02;
/// Number of grids; each cell is four times the side of the one below.
pub const LEVELS: u32 = 5;
/// Most cells a box may be looked up with before moving to a coarser grid.
pub const MAX_CELLS: usize = 16;

fn side(level: u32) -> f64 {
    FINEST * f64::from(4u32.pow(level))
}

fn index(v: f64, offset: f64, side: f64) -> i64 {
    ((v + offset) / side).floor() as i64
}

fn term(level: u32, col: i64, row: i64) -> String {
    format!("{level}:{col}:{row}")
}

/// The cell terms of one point, one per grid.
pub fn point_terms(lon: f64, lat: f64) -> impl Iterator<Item = String> {
    (0..LEVELS).map(move |l| {
        let s = side(l);
        term(l, index(lon, 180.0, s), index(lat, 90.0, s))
    })
}

/// The cell terms covering a box `[min_lon, min_lat, max_lon, max_lat]`, on the finest grid
/// that needs at most [`MAX_CELLS`]; `None` when even the coarsest needs more (a box that
/// large filters little: the collector's exact check is enough).
pub fn box_terms(b: [f64; 4]) -> Option<Vec<String>> {
    let [min_lon, min_lat, max_lon, max_lat] = [
        b[0].clamp(-180.0, 180.0),
        b[1].clamp(-90.0, 90.0),
        b[2].clamp(-180.0, 180.0),
        b[3].clamp(-90.0, 90.0),
    ];
    if min_lon > max_lon || min_lat > max_lat {
        return Some(Vec::new());
    }
    (0..LEVELS).find_map(|l| {
        let s = side(l);
        let (c0, c1) = (index(min_lon, 180.0, s), index(max_lon, 180.0, s));
        let (r0, r1) = (index(min_lat, 90.0, s), index(max_lat, 90.0, s));
        let n = usize::try_from((c1 - c0 + 1) * (r1 - r0 + 1)).unwrap_or(usize::MAX);
        (n <= MAX_CELLS).then(|| {
            (c0..=c1)
                .flat_map(|c| (r0..=r1).map(move |r| term(l, c, r)))
                .collect()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_in_a_box_shares_a_cell_with_the_box() {
        let b = [-2.15, 53.50, -2.05, 53.58];
        let terms = box_terms(b).unwrap();
        assert!(terms.len() <= MAX_CELLS);
        for (lon, lat) in [(-2.15, 53.50), (-2.05, 53.58), (-2.1, 53.54)] {
            assert!(
                point_terms(lon, lat).any(|t| terms.contains(&t)),
                "{lon},{lat}"
            );
        }
    }

    #[test]
    fn a_small_box_uses_the_finest_grid_and_a_huge_one_none() {
        let terms = box_terms([-2.101, 53.541, -2.099, 53.543]).unwrap();
        assert!(terms.iter().all(|t| t.starts_with("0:")), "{terms:?}");
        assert!(box_terms([-180.0, -90.0, 180.0, 90.0]).is_none());
    }
}
