//! The kinds of provision as types: the Wmo maatwerk provisions ([`Provision`]) and the forms
//! of youth care ([`YouthForm`]); arrays indexed by them ([`PerProvision`], [`PerForm`]); sets of
//! them ([`ProvisionSet`], [`FormSet`]); and each citizen's state under the two laws as a small
//! bit set with named methods ([`WmoState`], [`JeugdState`]; two bytes a citizen each).
//!
//! Everything a kind decides for itself is a method here with an exhaustive `match`: adding a
//! kind makes the compiler list what the new one must decide (ARCHITECTURE.md, "Add a Wmo
//! provision type"). The rules that use the kinds (`wmo/`, `jeugd/`) loop over `ALL` and
//! ask these methods; they name a kind only where a rule is about that kind (the wijkteam's
//! up-scaling to ambulant care, say).
//!
//! The algemene voorziening is not a [`Provision`]: it is open to all without a maatwerk
//! assessment (facts.md W8), has no provider waiting list and no co-payment, and does not count
//! as Wmo use in the stacking figures. A referral to one is a flag of [`WmoState`], and its
//! parameters (`wmo.algemeen`) are read directly where it costs money or hours.

use crate::scenario::params::{JeugdParams, ProvisionParams, WmoParams, YouthCareParams};
use std::ops::{BitAnd, BitOr, Index, IndexMut, Sub};

/// The set of the kinds `$kind` for which the `const fn` method `$method` is true.
macro_rules! set_where {
    ($set:ident, $kind:ident, $method:ident) => {{
        let mut s = 0u8;
        let mut k = 0;
        while k < $kind::COUNT {
            if $kind::ALL[k].$method() {
                s |= 1 << k;
            }
            k += 1;
        }
        $set(s)
    }};
}

/// Arrays indexed by a kind, and sets of a kind, for `$kind` with `ALL` and `COUNT`.
macro_rules! kind_collections {
    ($kind:ident, $per:ident, $set:ident, $what:literal) => {
        #[doc = concat!("One value per ", $what, ", indexed by [`", stringify!($kind), "`].")]
        #[derive(Clone, Copy, Debug, Default, PartialEq)]
        pub struct $per<T>(pub [T; $kind::COUNT]);

        impl<T> $per<T> {
            /// The value of each kind, from a function of the kind.
            pub fn from_fn(mut f: impl FnMut($kind) -> T) -> Self {
                $per(std::array::from_fn(|k| f($kind::ALL[k])))
            }

            /// Each kind with its value, in the order of `ALL`.
            pub fn iter(&self) -> impl Iterator<Item = ($kind, &T)> {
                $kind::ALL.into_iter().zip(self.0.iter())
            }

            /// The values, in the order of `ALL`.
            pub fn values(&self) -> &[T; $kind::COUNT] {
                &self.0
            }

            /// The values transformed one by one.
            pub fn map<U>(self, f: impl FnMut(T) -> U) -> $per<U> {
                $per(self.0.map(f))
            }
        }

        impl<T: Copy> $per<T> {
            /// The same value for every kind.
            pub const fn splat(v: T) -> Self {
                $per([v; $kind::COUNT])
            }
        }

        impl<T: std::ops::AddAssign + Copy> $per<T> {
            /// Adds `o` kind by kind.
            pub fn add(&mut self, o: &Self) {
                for (a, &b) in self.0.iter_mut().zip(&o.0) {
                    *a += b;
                }
            }
        }

        impl<T> Index<$kind> for $per<T> {
            type Output = T;
            #[inline]
            fn index(&self, k: $kind) -> &T {
                &self.0[k as usize]
            }
        }

        impl<T> IndexMut<$kind> for $per<T> {
            #[inline]
            fn index_mut(&mut self, k: $kind) -> &mut T {
                &mut self.0[k as usize]
            }
        }

        #[doc = concat!("A set of ", $what, "s (bit `k` for `", stringify!($kind), "::ALL[k]`).")]
        #[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $set(u8);

        impl $set {
            /// No kind.
            pub const EMPTY: $set = $set(0);
            /// Every kind.
            pub const ALL: $set = $set(((1u16 << $kind::COUNT) - 1) as u8);

            /// The set of one kind.
            #[inline]
            pub const fn of(k: $kind) -> $set {
                $set(1 << k as u8)
            }

            /// True if `k` is in the set.
            #[inline]
            pub const fn contains(self, k: $kind) -> bool {
                self.0 & (1 << k as u8) != 0
            }

            /// True if the set is empty.
            #[inline]
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// True if the two sets share a kind.
            #[inline]
            pub const fn intersects(self, o: $set) -> bool {
                self.0 & o.0 != 0
            }

            /// The set with `k` added.
            #[inline]
            pub const fn with(self, k: $kind) -> $set {
                $set(self.0 | 1 << k as u8)
            }

            /// The set without `k`.
            #[inline]
            pub const fn without(self, k: $kind) -> $set {
                $set(self.0 & !(1 << k as u8))
            }

            /// The kinds in the set, in the order of `ALL`.
            pub fn iter(self) -> impl Iterator<Item = $kind> {
                $kind::ALL.into_iter().filter(move |&k| self.contains(k))
            }
        }

        impl BitOr for $set {
            type Output = $set;
            #[inline]
            fn bitor(self, o: $set) -> $set {
                $set(self.0 | o.0)
            }
        }

        impl BitAnd for $set {
            type Output = $set;
            #[inline]
            fn bitand(self, o: $set) -> $set {
                $set(self.0 & o.0)
            }
        }

        impl Sub for $set {
            type Output = $set;
            #[inline]
            fn sub(self, o: $set) -> $set {
                $set(self.0 & !o.0)
            }
        }

        impl std::fmt::Debug for $set {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_set().entries(self.iter()).finish()
            }
        }
    };
}

// ---------------------------------------------------------------------------------------------
// Wmo

/// A Wmo maatwerkvoorziening: a provision granted after an assessment (the keukentafelgesprek)
/// and supplied by capacity-limited providers per purchasing region (facts.md W1-W4; the four
/// types of CBS's statistics).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Provision {
    /// Huishoudelijke hulp: household help (facts.md W1).
    Hh,
    /// Ondersteuning thuis: begeleiding, dagbesteding, kortdurend verblijf (facts.md W2).
    Thuis,
    /// Hulpmiddelen en diensten: aids, housing adaptations, transport (facts.md W3).
    Hulpmiddelen,
    /// Verblijf en opvang: beschermd wonen, maatschappelijke opvang (facts.md W4).
    Verblijf,
}

/// How much of a person's weekly need a provision covers (see [`Provision::cover`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cover {
    /// The provision's hours a week (`hours_per_week`, times the contract's hours factor).
    Hours,
    /// A share of the need (`wmo.aids_need_share`): aids and transport take over part of the
    /// tasks without being counted in hours.
    ShareOfNeed,
    /// All of it: a stay (beschermd wonen, opvang) covers the whole need.
    All,
}

/// Household help is also needed by the very old with a psychosocial or cognitive limitation
/// (from this age). Assumption.
pub const HH_ANY_LIMITATION_AGE: u32 = 75;
/// From this age ondersteuning thuis is also needed for a physical limitation (dementia and
/// frailty at old age) ... Assumption.
pub const THUIS_OLD_AGE: u32 = 80;
/// ... if the severity is at least this (or the type's threshold, if higher). Assumption.
pub const THUIS_OLD_SEVERITY: u8 = 60;
/// Verblijf en opvang (beschermd wonen) is for psychosocial problems below this age; older
/// people with that need go to the Wlz or other care. Assumption.
pub const VERBLIJF_MAX_AGE: u32 = 65;

impl Provision {
    /// Every provision, in index order.
    pub const ALL: [Provision; 4] = [
        Provision::Hh,
        Provision::Thuis,
        Provision::Hulpmiddelen,
        Provision::Verblijf,
    ];
    /// How many there are.
    pub const COUNT: usize = Provision::ALL.len();

    /// Short name (as in the scenario's `[wmo.<name>]` table).
    pub const fn name(self) -> &'static str {
        match self {
            Provision::Hh => "hh",
            Provision::Thuis => "thuis",
            Provision::Hulpmiddelen => "hulpmiddelen",
            Provision::Verblijf => "verblijf",
        }
    }

    /// The scenario's parameters of this provision.
    pub fn params(self, p: &WmoParams) -> &ProvisionParams {
        match self {
            Provision::Hh => &p.hh,
            Provision::Thuis => &p.thuis,
            Provision::Hulpmiddelen => &p.hulpmiddelen,
            Provision::Verblijf => &p.verblijf,
        }
    }

    /// The need rule: whether someone with `severity` (0-100), a psychosocial or cognitive
    /// (`mental`) or else physical limitation, aged `age`, needs this provision, given its
    /// severity `threshold`. Household help and aids for physical limitations (household help
    /// also for the very old), ondersteuning thuis for psychosocial or cognitive ones (and
    /// dementia at old age), verblijf for severe psychosocial problems below 65.
    pub const fn needed_by(self, threshold: u8, severity: u8, mental: bool, age: u32) -> bool {
        match self {
            Provision::Hh => (!mental || age >= HH_ANY_LIMITATION_AGE) && severity >= threshold,
            Provision::Thuis => {
                let old = if threshold > THUIS_OLD_SEVERITY {
                    threshold
                } else {
                    THUIS_OLD_SEVERITY
                };
                (mental && severity >= threshold) || (age >= THUIS_OLD_AGE && severity >= old)
            }
            Provision::Hulpmiddelen => !mental && severity >= threshold,
            Provision::Verblijf => mental && age < VERBLIJF_MAX_AGE && severity >= threshold,
        }
    }

    /// How much of the weekly need the provision covers.
    pub const fn cover(self) -> Cover {
        match self {
            Provision::Hh | Provision::Thuis => Cover::Hours,
            Provision::Hulpmiddelen => Cover::ShareOfNeed,
            Provision::Verblijf => Cover::All,
        }
    }

    /// Light help: prevents or postpones heavier need (the `needs.light_help_effect`), and, with
    /// the algemene voorziening, is what the "suction" variant of that effect draws people
    /// back to the loket for.
    pub const fn light(self) -> bool {
        match self {
            Provision::Hh | Provision::Hulpmiddelen => true,
            Provision::Thuis | Provision::Verblijf => false,
        }
    }

    /// Help the own network can give instead: where informal care covers enough of the need
    /// (`wmo.network_cover`), the gemeente leaves it to the network (own strength first,
    /// facts.md MC24).
    pub const fn network_can_give(self) -> bool {
        match self {
            Provision::Hh => true,
            Provision::Thuis | Provision::Hulpmiddelen | Provision::Verblijf => false,
        }
    }

    /// A need of its own that a carer's hours do not cover (a wheelchair, a stairlift, a
    /// regiotaxi pass; facts.md W3, W9): someone who needs it applies even when informal care
    /// covers the hours.
    pub const fn beyond_carers(self) -> bool {
        match self {
            Provision::Hulpmiddelen => true,
            Provision::Hh | Provision::Thuis | Provision::Verblijf => false,
        }
    }

    /// Respite for the carers of the person who gets it (dagbesteding, kortdurend verblijf):
    /// their burden falls faster (`mantelzorg.respite_relief`).
    pub const fn respite(self) -> bool {
        match self {
            Provision::Thuis => true,
            Provision::Hh | Provision::Hulpmiddelen | Provision::Verblijf => false,
        }
    }

    /// Counts on its own in SCP's stacking base: persons whose only provision was transport
    /// are left out (facts.md S2, W9); the nearest in the model is hulpmiddelen.
    pub const fn in_stacking_base(self) -> bool {
        match self {
            Provision::Hulpmiddelen => false,
            Provision::Hh | Provision::Thuis | Provision::Verblijf => true,
        }
    }

    /// Keeps an income-dependent co-payment under both rules (the abonnementstarief does not
    /// apply to beschermd wonen and opvang).
    pub const fn always_income_dependent(self) -> bool {
        match self {
            Provision::Verblijf => true,
            Provision::Hh | Provision::Thuis | Provision::Hulpmiddelen => false,
        }
    }
}

const _: () = {
    let mut k = 0;
    while k < Provision::COUNT {
        assert!(
            Provision::ALL[k] as usize == k,
            "Provision::ALL is in index order"
        );
        k += 1;
    }
    // The state's layout (held, algemeen, waiting, applied, decided) fits in 16 bits.
    assert!(
        2 * Provision::COUNT + 3 <= 16,
        "WmoState holds at most 6 provisions"
    );
};

kind_collections!(Provision, PerProvision, ProvisionSet, "Wmo provision");

impl ProvisionSet {
    /// The light provisions ([`Provision::light`]).
    pub const LIGHT: ProvisionSet = set_where!(ProvisionSet, Provision, light);
    /// Those the own network can give ([`Provision::network_can_give`]).
    pub const NETWORK: ProvisionSet = set_where!(ProvisionSet, Provision, network_can_give);
    /// Those counted on their own in the stacking base ([`Provision::in_stacking_base`]).
    pub const STACKING_BASE: ProvisionSet = set_where!(ProvisionSet, Provision, in_stacking_base);
    /// Those giving carers respite ([`Provision::respite`]).
    pub const RESPITE: ProvisionSet = set_where!(ProvisionSet, Provision, respite);
    /// Those needed beyond what carers cover ([`Provision::beyond_carers`]).
    pub const BEYOND_CARERS: ProvisionSet = set_where!(ProvisionSet, Provision, beyond_carers);
}

/// A citizen's Wmo state (`Citizens::wmo`): the provisions held, a referral to an algemene
/// voorziening, the provisions waited for at a provider, and the application (applied and
/// waiting for the keukentafelgesprek; or decided: rejected or sent back to the network, which
/// may apply again after `wmo.reapply_months`).
///
/// Layout (for `COUNT` provisions): bits `0..COUNT` held, bit `COUNT` algemeen, the next
/// `COUNT` bits waiting, then applied and decided.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct WmoState(u16);

const HELD: u16 = (1 << Provision::COUNT) - 1;
const ALGEMEEN: u16 = 1 << Provision::COUNT;
const WAIT_SHIFT: u32 = Provision::COUNT as u32 + 1;
const APPLIED: u16 = 1 << (2 * Provision::COUNT + 1);
const DECIDED: u16 = 1 << (2 * Provision::COUNT + 2);

impl WmoState {
    /// Nothing: no provision, no application.
    pub const NONE: WmoState = WmoState(0);

    /// True when nothing is set.
    #[inline]
    pub const fn is_none(self) -> bool {
        self.0 == 0
    }

    /// The maatwerk provisions held.
    #[inline]
    pub const fn held(self) -> ProvisionSet {
        ProvisionSet((self.0 & HELD) as u8)
    }

    /// The maatwerk provisions waited for at a provider.
    #[inline]
    pub const fn waiting(self) -> ProvisionSet {
        ProvisionSet(((self.0 >> WAIT_SHIFT) & HELD) as u8)
    }

    /// True if `p` is held.
    #[inline]
    pub const fn holds(self, p: Provision) -> bool {
        self.held().contains(p)
    }

    /// True if `p` is waited for.
    #[inline]
    pub const fn waits_for(self, p: Provision) -> bool {
        self.waiting().contains(p)
    }

    /// True if any maatwerk provision is held.
    #[inline]
    pub const fn has_maatwerk(self) -> bool {
        !self.held().is_empty()
    }

    /// True if referred to an algemene voorziening.
    #[inline]
    pub const fn algemeen(self) -> bool {
        self.0 & ALGEMEEN != 0
    }

    /// True if the application waits for the keukentafelgesprek.
    #[inline]
    pub const fn applied(self) -> bool {
        self.0 & APPLIED != 0
    }

    /// True if the last application was rejected or sent back to the network.
    #[inline]
    pub const fn decided(self) -> bool {
        self.0 & DECIDED != 0
    }

    /// True if waiting: for the keukentafelgesprek or for a provider.
    #[inline]
    pub const fn in_queue(self) -> bool {
        self.applied() || !self.waiting().is_empty()
    }

    /// True if holding light help: an algemene voorziening or a light provision.
    #[inline]
    pub const fn light_help(self) -> bool {
        self.algemeen() || self.held().intersects(ProvisionSet::LIGHT)
    }

    /// The state after applying (a melding): applied, no longer decided.
    #[inline]
    pub const fn apply(self) -> WmoState {
        WmoState((self.0 & !DECIDED) | APPLIED)
    }

    /// The state with the application taken up by the keukentafelgesprek (no longer applied).
    #[inline]
    pub const fn taken_up(self) -> WmoState {
        WmoState(self.0 & !APPLIED)
    }

    /// The state marked decided (rejected or sent back to the network).
    #[inline]
    pub const fn with_decided(self) -> WmoState {
        WmoState(self.0 | DECIDED)
    }

    /// The state with a referral to an algemene voorziening (if `on`; otherwise unchanged).
    #[inline]
    pub const fn with_algemeen(self, on: bool) -> WmoState {
        if on {
            WmoState(self.0 | ALGEMEEN)
        } else {
            self
        }
    }

    /// The state holding `p`.
    #[inline]
    pub const fn with_held(self, p: Provision) -> WmoState {
        WmoState(self.0 | 1 << p as u16)
    }

    /// The state waiting for `p`.
    #[inline]
    pub const fn with_waiting(self, p: Provision) -> WmoState {
        WmoState(self.0 | 1 << (p as u16 + WAIT_SHIFT as u16))
    }

    /// The state after a provider admits someone waiting for `p`: held, no longer waiting.
    #[inline]
    pub const fn admitted(self, p: Provision) -> WmoState {
        WmoState((self.0 & !(1 << (p as u16 + WAIT_SHIFT as u16))) | 1 << p as u16)
    }

    /// The state keeping only the provisions (held or waited for) in `need`, and the
    /// application; without the algemene voorziening.
    #[inline]
    pub const fn restricted_to(self, need: ProvisionSet) -> WmoState {
        let n = need.0 as u16;
        WmoState(self.0 & (n | n << WAIT_SHIFT | APPLIED | DECIDED))
    }
}

// ---------------------------------------------------------------------------------------------
// Jeugdwet

/// A form of youth care (facts.md J1-J6): jeugdhulp (from the wijkteam, ambulant at a provider,
/// or with a stay) and the measures of gecertificeerde instellingen (GIs) after a court order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum YouthForm {
    /// Help from the wijkteam (the gemeente's own light help).
    Wijkteam,
    /// Ambulant jeugdhulp at a provider.
    Ambulant,
    /// Jeugdhulp met verblijf (foster care, residential care).
    Verblijf,
    /// Jeugdbescherming (OTS or voogdij) by a GI.
    Jeugdbescherming,
    /// Jeugdreclassering by a GI.
    Jeugdreclassering,
}

/// Who supplies a form of youth care (see [`YouthForm::supplier`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Supplier {
    /// The gemeente's own wijkteam: capacity as planned, no purchasing premium or tariff policy.
    Wijkteam,
    /// A specialist provider bought per purchasing unit: the local-purchasing premium and the
    /// gemeente's tariff policy apply, and providers answer lower tariffs with less capacity.
    Provider,
    /// A gecertificeerde instelling carrying out a court order: staffing differs by jeugdregio,
    /// the order runs its term whether or not the GI has started it, and the queue is served
    /// by coarse urgency band, then in order of the court order.
    Gi,
}

impl YouthForm {
    /// Every form, in index order.
    pub const ALL: [YouthForm; 5] = [
        YouthForm::Wijkteam,
        YouthForm::Ambulant,
        YouthForm::Verblijf,
        YouthForm::Jeugdbescherming,
        YouthForm::Jeugdreclassering,
    ];
    /// How many there are.
    pub const COUNT: usize = YouthForm::ALL.len();

    /// Short name (as in the scenario's `[jeugd.<name>]` table).
    pub const fn name(self) -> &'static str {
        match self {
            YouthForm::Wijkteam => "wijkteam",
            YouthForm::Ambulant => "ambulant",
            YouthForm::Verblijf => "verblijf",
            YouthForm::Jeugdbescherming => "jb",
            YouthForm::Jeugdreclassering => "jr",
        }
    }

    /// The scenario's parameters of this form.
    pub fn params(self, p: &JeugdParams) -> &YouthCareParams {
        match self {
            YouthForm::Wijkteam => &p.wijkteam,
            YouthForm::Ambulant => &p.ambulant,
            YouthForm::Verblijf => &p.verblijf,
            YouthForm::Jeugdbescherming => &p.jb,
            YouthForm::Jeugdreclassering => &p.jr,
        }
    }

    /// Who supplies it.
    pub const fn supplier(self) -> Supplier {
        match self {
            YouthForm::Wijkteam => Supplier::Wijkteam,
            YouthForm::Ambulant | YouthForm::Verblijf => Supplier::Provider,
            YouthForm::Jeugdbescherming | YouthForm::Jeugdreclassering => Supplier::Gi,
        }
    }

    /// Jeugdhulp (help, ending when the problem is gone) rather than a measure of a GI.
    pub const fn is_hulp(self) -> bool {
        match self.supplier() {
            Supplier::Wijkteam | Supplier::Provider => true,
            Supplier::Gi => false,
        }
    }
}

const _: () = {
    let mut k = 0;
    while k < YouthForm::COUNT {
        assert!(
            YouthForm::ALL[k] as usize == k,
            "YouthForm::ALL is in index order"
        );
        k += 1;
    }
    // The state's layout (forms, waiting, this year) fits in 16 bits.
    assert!(
        2 * YouthForm::COUNT < 16,
        "JeugdState holds at most 7 forms"
    );
};

kind_collections!(YouthForm, PerForm, FormSet, "form of youth care");

impl FormSet {
    /// The forms of jeugdhulp ([`YouthForm::is_hulp`]).
    pub const HULP: FormSet = set_where!(FormSet, YouthForm, is_hulp);
}

/// A youth's Jeugdwet state (`Citizens::jeugd`): the forms received, the forms waited for, and
/// whether the youth had jeugdhulp this calendar year (reset each January).
///
/// Layout (for `COUNT` forms): bits `0..COUNT` received, the next `COUNT` bits waiting, then
/// this year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct JeugdState(u16);

const FORMS: u16 = (1 << YouthForm::COUNT) - 1;
const FORM_WAIT_SHIFT: u32 = YouthForm::COUNT as u32;
const THIS_YEAR: u16 = 1 << (2 * YouthForm::COUNT);

impl JeugdState {
    /// Nothing: no care, no waiting, none this year.
    pub const NONE: JeugdState = JeugdState(0);

    /// The forms received.
    #[inline]
    pub const fn received(self) -> FormSet {
        FormSet((self.0 & FORMS) as u8)
    }

    /// The forms waited for.
    #[inline]
    pub const fn waiting(self) -> FormSet {
        FormSet(((self.0 >> FORM_WAIT_SHIFT) & FORMS) as u8)
    }

    /// True if `f` is received.
    #[inline]
    pub const fn receives(self, f: YouthForm) -> bool {
        self.received().contains(f)
    }

    /// True if `f` is waited for.
    #[inline]
    pub const fn waits_for(self, f: YouthForm) -> bool {
        self.waiting().contains(f)
    }

    /// True if `f` is received or waited for.
    #[inline]
    pub const fn receives_or_waits(self, f: YouthForm) -> bool {
        self.receives(f) || self.waits_for(f)
    }

    /// True if any form of jeugdhulp is received.
    #[inline]
    pub const fn in_hulp(self) -> bool {
        self.received().intersects(FormSet::HULP)
    }

    /// True if any form is received (jeugdhulp or a measure).
    #[inline]
    pub const fn in_care(self) -> bool {
        !self.received().is_empty()
    }

    /// True if the youth had jeugdhulp this calendar year.
    #[inline]
    pub const fn this_year(self) -> bool {
        self.0 & THIS_YEAR != 0
    }

    /// True if some form is received or waited for.
    #[inline]
    pub const fn active(self) -> bool {
        self.0 & !THIS_YEAR != 0
    }

    /// True if nothing is set.
    #[inline]
    pub const fn is_none(self) -> bool {
        self.0 == 0
    }

    /// The state receiving `f`.
    #[inline]
    pub const fn with(self, f: YouthForm) -> JeugdState {
        JeugdState(self.0 | 1 << f as u16)
    }

    /// The state no longer receiving `f`.
    #[inline]
    pub const fn without(self, f: YouthForm) -> JeugdState {
        JeugdState(self.0 & !(1 << f as u16))
    }

    /// The state waiting for `f`.
    #[inline]
    pub const fn with_waiting(self, f: YouthForm) -> JeugdState {
        JeugdState(self.0 | 1 << (f as u16 + FORM_WAIT_SHIFT as u16))
    }

    /// The state no longer waiting for `f`.
    #[inline]
    pub const fn without_waiting(self, f: YouthForm) -> JeugdState {
        JeugdState(self.0 & !(1 << (f as u16 + FORM_WAIT_SHIFT as u16)))
    }

    /// The state neither receiving nor waiting for any form in `forms`.
    #[inline]
    pub const fn without_forms(self, forms: FormSet) -> JeugdState {
        let f = forms.0 as u16;
        JeugdState(self.0 & !(f | f << FORM_WAIT_SHIFT))
    }

    /// The state after a GI or provider admits someone waiting for `f`.
    #[inline]
    pub const fn admitted(self, f: YouthForm) -> JeugdState {
        self.without_waiting(f).with(f)
    }

    /// The state marked as having had jeugdhulp this year.
    #[inline]
    pub const fn with_this_year(self) -> JeugdState {
        JeugdState(self.0 | THIS_YEAR)
    }

    /// The state with only the this-year mark kept.
    #[inline]
    pub const fn only_this_year(self) -> JeugdState {
        JeugdState(self.0 & THIS_YEAR)
    }

    /// The state without the this-year mark (each January).
    #[inline]
    pub const fn new_year(self) -> JeugdState {
        JeugdState(self.0 & !THIS_YEAR)
    }
}

/// Parameters for the table-driven tests of the policy rules.
#[cfg(test)]
pub(crate) mod testing {
    use crate::scenario::Params;
    use serde::{Serialize, de::DeserializeOwned};
    use serde_json::Value;

    /// The reference scenario's parameters.
    pub fn reference() -> Params {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/reference.toml");
        crate::scenario::load(&path).unwrap().variants[0]
            .params
            .clone()
    }

    /// `x` with the keys of `patch` (a JSON object nested like the scenario's tables)
    /// replaced, through the same deserialisation (and range checks) as a scenario file.
    pub fn patched<T: Serialize + DeserializeOwned>(x: &T, patch: Value) -> T {
        fn merge(a: &mut Value, b: Value) {
            match (a, b) {
                (Value::Object(a), Value::Object(b)) => {
                    for (k, v) in b {
                        merge(a.entry(k).or_insert(Value::Null), v);
                    }
                }
                (a, b) => *a = b,
            }
        }
        let mut v = serde_json::to_value(x).unwrap();
        merge(&mut v, patch);
        serde_json::from_value(v).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_states_keep_two_bytes() {
        assert_eq!(std::mem::size_of::<WmoState>(), 2);
        assert_eq!(std::mem::size_of::<JeugdState>(), 2);
    }

    #[test]
    fn the_wmo_state_moves_between_waiting_and_held() {
        let s = WmoState::NONE
            .apply()
            .taken_up()
            .with_waiting(Provision::Thuis)
            .with_held(Provision::Hh);
        assert!(!s.applied() && s.waits_for(Provision::Thuis) && s.holds(Provision::Hh));
        assert!(s.in_queue() && s.light_help() && s.has_maatwerk());
        let s = s.admitted(Provision::Thuis);
        assert_eq!(
            s.held(),
            ProvisionSet::of(Provision::Hh).with(Provision::Thuis)
        );
        assert!(s.waiting().is_empty() && !s.in_queue());
        let s = s
            .with_algemeen(true)
            .restricted_to(ProvisionSet::of(Provision::Thuis));
        assert_eq!(s.held(), ProvisionSet::of(Provision::Thuis));
        assert!(!s.algemeen() && !s.light_help());
        // Applying again clears a decision; a decision stays through a restriction.
        let d = WmoState::NONE.with_decided();
        assert!(d.restricted_to(ProvisionSet::EMPTY).decided());
        assert!(!d.apply().decided() && d.apply().applied());
    }

    #[test]
    fn the_jeugd_state_keeps_the_year_apart() {
        let s = JeugdState::NONE
            .with_waiting(YouthForm::Jeugdbescherming)
            .with(YouthForm::Wijkteam)
            .with_this_year();
        assert!(s.in_hulp() && s.waits_for(YouthForm::Jeugdbescherming) && s.active());
        let s = s.admitted(YouthForm::Jeugdbescherming);
        assert!(s.receives(YouthForm::Jeugdbescherming) && s.waiting().is_empty());
        let s = s.without_forms(FormSet::HULP);
        assert!(!s.in_hulp() && s.in_care());
        assert!(!s.only_this_year().active() && s.only_this_year().this_year());
        assert!(!s.new_year().this_year());
    }

    #[test]
    fn sets_and_arrays_follow_the_kinds() {
        assert_eq!(
            ProvisionSet::LIGHT,
            ProvisionSet::of(Provision::Hh).with(Provision::Hulpmiddelen)
        );
        assert_eq!(FormSet::HULP.iter().count(), 3);
        let mut per = PerProvision::splat(1u32);
        per[Provision::Verblijf] = 5;
        assert_eq!(per.values(), &[1, 1, 1, 5]);
        assert_eq!(
            ProvisionSet::ALL.iter().collect::<Vec<_>>(),
            Provision::ALL.to_vec()
        );
        for p in Provision::ALL {
            assert!(!p.name().is_empty());
        }
        for f in YouthForm::ALL {
            assert!(!f.name().is_empty());
        }
    }
}
