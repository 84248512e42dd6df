import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../common/current-user.decorator';
import type { User } from '../database/entities';
import { ListMaterialPricesQuery, MaterialTypeParams } from './dto/material-price.query';
import {
  MaterialPriceObservationResponse,
  MaterialPriceResponse,
  toMaterialPriceObservationResponse,
  toMaterialPriceResponse,
} from './dto/material-price.response';
import { MaterialPricesService } from './material-prices.service';

@ApiTags('material-prices')
@ApiBearerAuth()
@Controller('material-prices')
export class MaterialPricesController {
  constructor(private readonly materialPrices: MaterialPricesService) {}

  @Get()
  @ApiOkResponse({ type: [MaterialPriceResponse], description: "The current prices of the shared baseline and the caller's shop" })
  async list(@CurrentUser() user: User, @Query() query: ListMaterialPricesQuery): Promise<MaterialPriceResponse[]> {
    return (await this.materialPrices.listCurrent(user.id, query.material_type)).map(toMaterialPriceResponse);
  }

  @Get(':material_type/history')
  @ApiOkResponse({ type: [MaterialPriceObservationResponse], description: 'Every observation the caller may see, newest first; empty for an unknown material' })
  async history(@CurrentUser() user: User, @Param() params: MaterialTypeParams): Promise<MaterialPriceObservationResponse[]> {
    return (await this.materialPrices.listHistory(user.id, params.material_type)).map(toMaterialPriceObservationResponse);
  }
}
