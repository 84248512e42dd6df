import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MaterialPrice, MaterialPriceHistory } from '../database/entities';
import { MaterialPricesController } from './material-prices.controller';
import { MaterialPricesService } from './material-prices.service';

@Module({
  imports: [TypeOrmModule.forFeature([MaterialPrice, MaterialPriceHistory])],
  controllers: [MaterialPricesController],
  providers: [MaterialPricesService],
})
export class MaterialPricesModule {}
