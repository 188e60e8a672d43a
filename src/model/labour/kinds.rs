//! Kinds of the labour market as types: a citizen's labour status, the reintegration
//! instrument, and who pays a placement. Each enum lists its kinds in `ALL`, so tables and
//! counts follow a new kind, and matches over them are exhaustive.

use crate::model::soa::flag_set;

/// A citizen's labour status (`Citizens::labour`).
#[repr(u8)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LabourStatus {
    /// Under 18 (no labour status yet).
    #[default]
    None = 0,
    /// In paid work at an employer (with or without a subsidy or jobcoach).
    Employed = 1,
    /// Unemployed with WW (unemployment insurance, UWV).
    Ww = 2,
    /// Unemployed with bijstand.
    Bijstand = 3,
    /// Unemployed, looking for work, without a benefit (niet-uitkeringsgerechtigd, "nugger").
    Nugger = 4,
    /// Not working, with a Wajong benefit.
    Wajong = 5,
    /// Employed in the sociale werkvoorziening (Wsw).
    Wsw = 6,
    /// In beschut werk (sheltered work organised by the gemeente).
    Beschut = 7,
    /// In education.
    Education = 8,
    /// Outside the labour force.
    Inactive = 9,
    /// Past the AOW age.
    Pension = 10,
}

impl LabourStatus {
    /// Every status, in the order of their codes.
    pub const ALL: [LabourStatus; 11] = [
        LabourStatus::None,
        LabourStatus::Employed,
        LabourStatus::Ww,
        LabourStatus::Bijstand,
        LabourStatus::Nugger,
        LabourStatus::Wajong,
        LabourStatus::Wsw,
        LabourStatus::Beschut,
        LabourStatus::Education,
        LabourStatus::Inactive,
        LabourStatus::Pension,
    ];
    /// The number of statuses.
    pub const COUNT: usize = LabourStatus::ALL.len();

    /// Position in [`LabourStatus::ALL`] (the status's code).
    #[inline]
    pub fn index(self) -> usize {
        self as usize
    }

    /// True for paid work: a regular job (subsidised or not), the Wsw, beschut werk.
    #[inline]
    pub fn is_work(self) -> bool {
        match self {
            LabourStatus::Employed | LabourStatus::Wsw | LabourStatus::Beschut => true,
            LabourStatus::None
            | LabourStatus::Ww
            | LabourStatus::Bijstand
            | LabourStatus::Nugger
            | LabourStatus::Wajong
            | LabourStatus::Education
            | LabourStatus::Inactive
            | LabourStatus::Pension => false,
        }
    }

    /// True for the unemployed whom the gemeente or UWV deal with (WW, bijstand, nugger,
    /// Wajong without work).
    #[inline]
    pub fn is_unemployed(self) -> bool {
        match self {
            LabourStatus::Ww
            | LabourStatus::Bijstand
            | LabourStatus::Nugger
            | LabourStatus::Wajong => true,
            LabourStatus::None
            | LabourStatus::Employed
            | LabourStatus::Wsw
            | LabourStatus::Beschut
            | LabourStatus::Education
            | LabourStatus::Inactive
            | LabourStatus::Pension => false,
        }
    }

    /// True for the clients of the gemeente's reintegration (bijstand and nuggers).
    #[inline]
    pub fn is_gemeente_client(self) -> bool {
        matches!(self, LabourStatus::Bijstand | LabourStatus::Nugger)
    }
}

impl From<LabourStatus> for usize {
    fn from(s: LabourStatus) -> usize {
        s.index()
    }
}

/// A reintegration instrument (`Citizens::instrument`).
#[repr(u8)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Instrument {
    /// None.
    #[default]
    None = 0,
    /// A light instrument (training) while unemployed.
    Light = 1,
    /// A participatieplaats (unpaid work keeping the benefit).
    Participatieplaats = 2,
    /// Mediated to employers with a wage-cost subsidy; when employed: a job with LKS.
    Lks = 3,
    /// Mediated with a jobcoach; when employed: begeleid werk.
    Jobcoach = 4,
}

impl Instrument {
    /// Every instrument, in the order of their codes.
    pub const ALL: [Instrument; 5] = [
        Instrument::None,
        Instrument::Light,
        Instrument::Participatieplaats,
        Instrument::Lks,
        Instrument::Jobcoach,
    ];

    /// True for mediation to employers (with a wage-cost subsidy, with or without a jobcoach).
    #[inline]
    pub fn is_mediation(self) -> bool {
        match self {
            Instrument::Lks | Instrument::Jobcoach => true,
            Instrument::None | Instrument::Light | Instrument::Participatieplaats => false,
        }
    }
}

/// Who pays for a placement at a pool employer (`Placements::payer`).
#[repr(u8)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Payer {
    /// Nobody: the employer pays the full wage.
    #[default]
    Employer = 0,
    /// The gemeente pays a wage-cost subsidy (loonkostensubsidie, LKS).
    Gemeente = 1,
    /// UWV: the worker keeps a (partial) Wajong benefit.
    Uwv = 2,
}

flag_set! {
    /// A citizen's Participatiewet flags (`Citizens::pw`): a set of the flags below, one byte.
    pub struct PwFlags;
}

impl PwFlags {
    /// Receives a Wajong benefit (working or not).
    pub const WAJONG: PwFlags = PwFlags(1);
    /// Young disabled with capacity to work (decided at 18).
    pub const YOUNG_DISABLED: PwFlags = PwFlags(2);
    /// Can only work in adapted conditions (the Wsw target group).
    pub const SHELTERED: PwFlags = PwFlags(4);
    /// On the Wsw waiting list.
    pub const WSW_WAIT: PwFlags = PwFlags(8);
    /// Problematic debts.
    pub const DEBT: PwFlags = PwFlags(16);
    /// Mild intellectual disability (LVB).
    pub const LVB: PwFlags = PwFlags(32);
    /// Sanctioned (benefit cut).
    pub const SANCTION: PwFlags = PwFlags(64);
    /// In a job found through the employer pool (a placement).
    pub const PLACED: PwFlags = PwFlags(128);
    /// Every flag, with its name.
    pub const ALL: [(&'static str, PwFlags); 8] = [
        ("wajong", PwFlags::WAJONG),
        ("young_disabled", PwFlags::YOUNG_DISABLED),
        ("sheltered", PwFlags::SHELTERED),
        ("wsw_wait", PwFlags::WSW_WAIT),
        ("debt", PwFlags::DEBT),
        ("lvb", PwFlags::LVB),
        ("sanction", PwFlags::SANCTION),
        ("placed", PwFlags::PLACED),
    ];
}

flag_set! {
    /// The quality of a citizen's job (`Citizens::job`), kept after it ends for the WW it
    /// pays and the cohorts (facts.md E4, E6, E7, MC18): a set of the flags below, one byte.
    pub struct JobFlags;
}

impl JobFlags {
    /// Part-time: `participatie.income.part_time_hours` of a full-time job.
    pub const PART_TIME: JobFlags = JobFlags(1);
    /// A temporary contract (shorter than a year unless extended).
    pub const TEMPORARY: JobFlags = JobFlags(2);
    /// Every flag, with its name.
    pub const ALL: [(&'static str, JobFlags); 2] = [
        ("part_time", JobFlags::PART_TIME),
        ("temporary", JobFlags::TEMPORARY),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_positions_and_kinds_are_partitioned() {
        for (k, s) in LabourStatus::ALL.iter().enumerate() {
            assert_eq!(s.index(), k);
            assert!(!(s.is_work() && s.is_unemployed()), "{s:?}");
        }
        for (k, i) in Instrument::ALL.iter().enumerate() {
            assert_eq!(*i as usize, k);
        }
        // Work: facts.md's "werkend" includes the Wsw and beschut werk (E5).
        let work: Vec<_> = LabourStatus::ALL.iter().filter(|s| s.is_work()).collect();
        let mut f = PwFlags::EMPTY;
        f.insert(PwFlags::DEBT | PwFlags::LVB);
        assert!(f.contains(PwFlags::DEBT) && f.intersects(PwFlags::LVB | PwFlags::WAJONG));
        assert!(!f.contains(PwFlags::LVB | PwFlags::WAJONG));
        f.remove(PwFlags::DEBT);
        assert_eq!(f, PwFlags::LVB);
        let all = PwFlags::ALL.iter().fold(PwFlags::EMPTY, |a, &(_, b)| a | b);
        assert_eq!(all.bits(), u8::MAX, "eight distinct flags fill the byte");
        assert_eq!(
            work,
            [
                &LabourStatus::Employed,
                &LabourStatus::Wsw,
                &LabourStatus::Beschut
            ]
        );
    }
}
