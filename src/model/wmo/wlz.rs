//! Phase 6c: the Wlz boundary: the Wlz admits those referred to free places.

use crate::engine::{Month, map_chunks};
use crate::model::provision::WmoState;
use crate::model::world::{ALIVE, WLZ, WLZ_WAIT, World};
use crate::scenario::params::Params;

/// Phase 6c: the Wlz admits to free places, heaviest first. `growth` is the places' growth so
/// far (a factor on `wlz.places`); each December it grows by `wlz.places_growth` while people
/// are left waiting.
pub(super) fn admit_to_wlz(world: &mut World, p: &Params, month: Month, growth: &mut f64) {
    let places = p.wlz.places.at(month).get() * *growth * world.scale;
    let (in_wlz, mut queue) = {
        let c = &world.citizens;
        let parts = map_chunks(c.len(), |r| {
            let mut n = 0u32;
            let mut q = Vec::new();
            for i in r {
                let f = c.flags[i];
                if !f.contains(ALIVE) {
                    continue;
                }
                if f.contains(WLZ) {
                    n += 1;
                } else if f.contains(WLZ_WAIT) {
                    q.push((255 - c.severity[i], i as u32));
                }
            }
            (n, q)
        });
        let n: u32 = parts.iter().map(|x| x.0).sum();
        (n, parts.into_iter().flat_map(|x| x.1).collect::<Vec<_>>())
    };
    queue.sort_unstable();
    let free = (places - f64::from(in_wlz)).max(0.0).floor() as usize;
    if month.is_december() && queue.len() > free {
        *growth *= 1.0 + p.wlz.places_growth.at(month).get();
    }
    let c = &mut world.citizens;
    for &(_, i) in queue.iter().take(free) {
        c.flags[i as usize].insert(WLZ);
        c.flags[i as usize].remove(WLZ_WAIT);
        c.wmo[i as usize] = WmoState::NONE;
    }
}
