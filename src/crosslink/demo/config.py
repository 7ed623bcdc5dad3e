"""The knobs of the synthetic world: size, seed, proportions and noise rates, all as data.

Proportions follow DOMAIN.md (Belgium: over half of identified victims for labour
exploitation, about 40 % sexual, some forced begging and forced criminality, a few domestic
servitude; suspects about 20 % Belgian, with Afghan, Iraqi, Iranian, Albanian, Turkish and
Dutch members). Every figure is a default that a caller may change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crosslink.errors import ConfigurationError


def _weights(**kw: float) -> dict[str, float]:
    return dict(kw)


@dataclass(frozen=True)
class NoiseRates:
    """Rates of each kind of noise, as the share of opportunities where it is applied."""

    typo: float = 0.05
    name_swap: float = 0.04
    transliteration: float = 0.30
    dob_missing: float = 0.08
    dob_partial: float = 0.04
    dob_day_month_swap: float = 0.03
    phone_international: float = 0.45
    shared_phone: float = 0.15
    address_variant: float = 0.15
    alias: float = 0.10
    namesake: float = 0.02
    spoiled: float = 0.002

    def check(self) -> None:
        for name, value in vars(self).items():
            if not 0.0 <= value <= 1.0:
                raise ConfigurationError(f"noise rate {name} must be within [0, 1], not {value}")
        if self.dob_missing + self.dob_partial + self.dob_day_month_swap > 1.0:
            raise ConfigurationError("date-of-birth noise rates add up to more than 1")


@dataclass(frozen=True)
class Proportions:
    """Shares in the hidden truth (weights; they need not add up to one)."""

    exploitation: dict[str, float] = field(
        default_factory=lambda: _weights(
            labour=0.52, sexual=0.40, begging=0.03, criminality=0.03, domestic_servitude=0.02
        )
    )
    labour_sectors: dict[str, float] = field(
        default_factory=lambda: _weights(
            construction=0.25,
            cleaning=0.15,
            car_wash=0.15,
            hospitality=0.18,
            retail=0.12,
            agriculture=0.15,
        )
    )
    suspect_nationality: dict[str, float] = field(
        default_factory=lambda: _weights(
            BE=0.20,
            AF=0.08,
            IQ=0.08,
            IR=0.06,
            AL=0.10,
            TR=0.08,
            NL=0.08,
            RO=0.12,
            BG=0.08,
            MA=0.06,
            NG=0.06,
        )
    )
    victim_origin: dict[str, float] = field(
        default_factory=lambda: _weights(
            RO=0.18,
            BG=0.12,
            HU=0.05,
            MA=0.08,
            DZ=0.04,
            SY=0.06,
            AF=0.06,
            IQ=0.05,
            IR=0.03,
            NG=0.12,
            VN=0.06,
            UA=0.08,
            AL=0.04,
            TR=0.03,
        )
    )
    population_origin: dict[str, float] = field(
        default_factory=lambda: _weights(
            BE=0.50,
            NL=0.10,
            FR=0.08,
            DE=0.05,
            GB=0.03,
            MA=0.07,
            TR=0.05,
            RO=0.05,
            BG=0.02,
            UA=0.02,
            SY=0.01,
            AF=0.01,
            NG=0.01,
        )
    )
    countries_of_operation: dict[str, float] = field(
        default_factory=lambda: _weights(BE=0.55, NL=0.20, DE=0.10, FR=0.10, GB=0.05)
    )
    smuggling_network_share: float = 0.20
    records_per_network: int = 2500
    min_networks: int = 2
    ad_share_related: float = 0.12


@dataclass(frozen=True)
class PartnerShares:
    """Share of the wanted records written to each partner file."""

    police: float = 0.18
    inspection: float = 0.08
    population: float = 0.22
    reception: float = 0.02
    immigration: float = 0.14
    ftm: float = 0.10
    ads: float = 0.16
    banks: float = 0.10

    def as_dict(self) -> dict[str, float]:
        return dict(vars(self))


@dataclass(frozen=True)
class WorldConfig:
    """What world to generate: ``scale`` is the number of source records (rows) wanted."""

    seed: int = 1
    scale: int = 2000
    noise: NoiseRates = field(default_factory=NoiseRates)
    proportions: Proportions = field(default_factory=Proportions)
    shares: PartnerShares = field(default_factory=PartnerShares)
    start_year: int = 2021
    end_year: int = 2024

    def check(self) -> WorldConfig:
        if self.scale < 100:
            raise ConfigurationError(f"scale must be at least 100 records, not {self.scale}")
        if self.start_year > self.end_year:
            raise ConfigurationError("start_year comes after end_year")
        self.noise.check()
        if any(v < 0 for v in self.shares.as_dict().values()):
            raise ConfigurationError("partner shares must not be negative")
        return self

    def rows_for(self, partner: str) -> int:
        """How many rows the partner's file gets (at least a handful)."""
        shares = self.shares.as_dict()
        total = sum(shares.values())
        return max(8, round(self.scale * shares[partner] / total))

    @property
    def networks(self) -> int:
        p = self.proportions
        return max(p.min_networks, self.scale // p.records_per_network)
