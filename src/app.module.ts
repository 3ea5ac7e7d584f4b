import { Module } from '@nestjs/common';
import { ApolloDriver, ApolloDriverConfig } from '@nestjs/apollo';
import { GraphQLModule } from '@nestjs/graphql';
import { CandidatesModule } from './candidates/candidates.module';
import { ConfigModule } from './config/config.module';
import { APP_CONFIG, AppConfig } from './config/config';
import { graphqlOptions } from './graphql/graphql-options';
import { MoleculesModule } from './molecules/molecules.module';
import { NavigationModule } from './navigation/navigation.module';

@Module({
  imports: [
    ConfigModule,
    GraphQLModule.forRootAsync<ApolloDriverConfig>({
      driver: ApolloDriver,
      imports: [ConfigModule],
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => graphqlOptions(config),
    }),
    MoleculesModule,
    NavigationModule,
    CandidatesModule,
  ],
})
export class AppModule {}
