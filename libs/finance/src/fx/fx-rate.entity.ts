import { Entity } from 'typeorm';
import { VarcharColumn, VersionedEntity } from '@stackgate/platform';

/** Units of BASE_CURRENCY per 1 unit of `currency`, for one month. */
@Entity('fx_rates')
export class FxRate extends VersionedEntity {
  @VarcharColumn(3) currency: string;
  /** "YYYY-MM". */
  @VarcharColumn(7) month: string;
  /** Decimal string, up to 10 decimals; never a float. */
  @VarcharColumn(30) rate: string;
}
